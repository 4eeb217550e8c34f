using Microsoft.Data.Sqlite;
using Npgsql;

namespace Clientele.Tests.Infrastructure;

/// <summary>Reads rows straight from a test database, for state the API has no route to read (events).</summary>
public static class DatabaseRows
{
    /// <summary>Every row of <paramref name="sql"/>, its values as the provider's driver returns them (DBNull as null).</summary>
    public static async Task<List<object?[]>> QueryAsync(TestDatabase database, string sql)
    {
        var rows = new List<object?[]>();
        if (database.FilePath is { } path)
        {
            // Not pooled: the file must not stay open in the test process once the check is done.
            await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            await ReadAsync(reader, rows);
            return rows;
        }
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var pg = new NpgsqlCommand(sql, connection);
        await using var pgReader = await pg.ExecuteReaderAsync();
        await ReadAsync(pgReader, rows);
        return rows;
    }

    private static async Task ReadAsync(System.Data.Common.DbDataReader reader, List<object?[]> rows)
    {
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
    }
}
