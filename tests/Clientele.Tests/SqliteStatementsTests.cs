using Clientele.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Clientele.Tests;

/// <summary>
/// The per-connection cache of prepared commands is bounded in statements and in characters of SQL (searches make
/// SQL from the request's shape); evicting must not break a command a caller fetched just before and has not run
/// yet, and a text SQLite refuses to compile is never kept.
/// </summary>
public sealed class SqliteStatementsTests
{
    [Fact]
    public void Prepared_PastItsCapacity_CommandsAlreadyHandedOutStillRun()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var held = connection.Prepared("SELECT 1");

        for (var i = 0; i < 600; i++)
        {
            Assert.Equal((long)i, connection.Prepared($"SELECT {i}").ExecuteScalar());
        }

        Assert.Equal(1L, held.ExecuteScalar());
        Assert.Equal(7L, connection.Prepared("SELECT 7").ExecuteScalar());
    }

    [Fact]
    public void Prepared_SameText_ReturnsTheSameCommandWithItsParametersCleared()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var first = connection.Prepared("SELECT @x");
        first.Parameters.AddWithValue("@x", 3);
        Assert.Equal(3L, first.ExecuteScalar());

        var again = connection.Prepared("SELECT @x");

        Assert.Same(first, again);
        Assert.Empty(again.Parameters);
    }

    [Fact]
    public void Prepared_TextThatDoesNotCompile_ThrowsAndIsNotKept()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Prepared("SELECT 1");

        for (var i = 0; i < 3; i++)
        {
            Assert.Throws<SqliteException>(() => connection.Prepared($"SELECT {i} FROM no_such_table").ExecuteScalar());
        }

        Assert.Equal((1, (long)"SELECT 1".Length), connection.Kept());
    }

    [Fact]
    public void Prepared_ManyLongTexts_KeepsNoMoreCharactersThanItsAllowance()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        // A long IN list, as a tagsData clause of thousands of names once made: each text about 40,000 characters.
        var names = string.Join(", ", Enumerable.Range(0, 4_000).Select(n => $"'n{n}'"));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal((long)i, connection.Prepared($"SELECT {i} WHERE 'x' NOT IN ({names})").ExecuteScalar());
        }

        var (statements, characters) = connection.Kept();
        Assert.InRange(characters, 1, SqliteStatements.MaxCharactersPerConnection);
        Assert.InRange(statements, 1, SqliteStatements.MaxCharactersPerConnection / names.Length);
    }

    [Fact]
    public void Prepared_TextLongerThanTheAllowance_IsKeptAloneUntilTheNextNewText()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var hot = connection.Prepared("SELECT 1");
        var huge = $"SELECT '{new string('x', SqliteStatements.MaxCharactersPerConnection)}'";

        Assert.Equal(SqliteStatements.MaxCharactersPerConnection, ((string)connection.Prepared(huge).ExecuteScalar()!).Length);
        Assert.Equal(1, connection.Kept().Statements);
        Assert.Equal(2L, connection.Prepared("SELECT 2").ExecuteScalar());

        Assert.Equal((1, (long)"SELECT 2".Length), connection.Kept());
        Assert.Equal(1L, hot.ExecuteScalar());
    }

    [Fact]
    public void Prepared_PastItsCapacity_EvictsTheLeastRecentlyUsed()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var hot = connection.Prepared("SELECT 'hot'");

        for (var i = 0; i < 3 * SqliteStatements.MaxPerConnection; i++)
        {
            connection.Prepared($"SELECT {i}");
            Assert.Same(hot, connection.Prepared("SELECT 'hot'"));
        }

        Assert.Equal(SqliteStatements.MaxPerConnection, connection.Kept().Statements);
    }
}
