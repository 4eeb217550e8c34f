using Clientele.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Clientele.Tests;

/// <summary>
/// The per-connection cache of prepared commands is bounded (searches make SQL from the request's shape); starting
/// it over must not break a command a caller fetched just before and has not run yet.
/// </summary>
public sealed class SqliteStatementsTests
{
    [Fact]
    public void Prepared_PastItsCapacity_StartsOverAndCommandsAlreadyHandedOutStillRun()
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
}
