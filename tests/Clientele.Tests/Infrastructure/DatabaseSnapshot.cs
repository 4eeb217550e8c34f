using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Every row of the tables a request can write (accounts, keys, customers, tags, their links, events), read
/// straight from the database behind the server through a connection of its own, so a comparison of two
/// snapshots proves that nothing at all changed in between, not only what the API shows.
/// </summary>
public sealed class DatabaseSnapshot
{
    /// <summary>Each table with the query that dumps it deterministically.</summary>
    private static readonly (string Table, string Query)[] Tables =
    [
        ("accounts", "SELECT * FROM accounts ORDER BY id"),
        ("api_keys", "SELECT * FROM api_keys ORDER BY id"),
        ("customers", "SELECT * FROM customers ORDER BY id"),
        ("tags", "SELECT * FROM tags ORDER BY id"),
        ("customer_tags", "SELECT * FROM customer_tags ORDER BY customer_id, tag_id"),
        ("events", "SELECT * FROM events ORDER BY id"),
        // PostgreSQL spreads an account's count over slots chosen by server process: the sum is what must not change.
        ("customer_counts", "SELECT account_id, sum(customers) AS customers FROM customer_counts GROUP BY account_id ORDER BY account_id"),
    ];

    private DatabaseSnapshot(IReadOnlyList<string> rows)
    {
        Rows = rows;
        Hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", rows))));
    }

    /// <summary>One line per row: the table, then every column as <c>name=value</c>.</summary>
    public IReadOnlyList<string> Rows { get; }

    public string Hash { get; }

    public static async Task<DatabaseSnapshot> TakeAsync(TestDatabase database)
    {
        await using var connection = Open(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        foreach (var (table, query) in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = query;
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                var row = new StringBuilder(table);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(' ').Append(reader.GetName(i)).Append('=').Append(Format(reader.GetValue(i)));
                }
                rows.Add(row.ToString());
            }
        }
        return new DatabaseSnapshot(rows);
    }

    /// <summary>The rows only one of the two snapshots holds (a changed row shows on both sides), at most <paramref name="max"/> each.</summary>
    public string DescribeDifference(DatabaseSnapshot after, int max = 10)
    {
        var before = Rows.ToHashSet(StringComparer.Ordinal);
        var now = after.Rows.ToHashSet(StringComparer.Ordinal);
        var gone = Rows.Where(r => !now.Contains(r)).Take(max).Select(r => "  - " + Shorten(r));
        var added = after.Rows.Where(r => !before.Contains(r)).Take(max).Select(r => "  + " + Shorten(r));
        return string.Join("\n", gone.Concat(added));
    }

    private static DbConnection Open(TestDatabase database) => database.FilePath is { } path
        // Read-only and unpooled: this connection must never be the writer, nor keep the file open after the test.
        ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
        : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);

    private static string Format(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => "x'" + Convert.ToHexString(bytes) + "'",
        string text => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal) + "\"",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Shorten(string row) => row.Length <= 400 ? row : row[..400] + $"… ({row.Length} chars)";
}
