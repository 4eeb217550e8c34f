using Clientele.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// How SQLite plans the statements the server builds: on the database as the server leaves it (no statistics), and on
/// a copy after <c>ANALYZE</c> (what <c>PRAGMA optimize</c> or an operator would add). Dispose to delete the copy.
/// </summary>
public sealed class SqlitePlans : IDisposable
{
    private readonly string _folder;

    private SqlitePlans(string livePath, string folder)
    {
        LivePath = livePath;
        _folder = folder;
    }

    /// <summary>The server's own database file.</summary>
    public string LivePath { get; }

    /// <summary>A copy of it with statistics.</summary>
    public string AnalysedPath => Path.Combine(_folder, "analysed.db");

    public static async Task<SqlitePlans> CopyAndAnalyseAsync(string livePath)
    {
        var plans = new SqlitePlans(livePath, Directory.CreateTempSubdirectory("clientele-plan-").FullName);
        await using (var live = await OpenAsync(livePath))
        {
            await ExecuteAsync(live, $"VACUUM INTO '{plans.AnalysedPath}'");
        }
        await using var copy = await OpenAsync(plans.AnalysedPath);
        await ExecuteAsync(copy, "ANALYZE");
        return plans;
    }

    /// <summary>The statement <paramref name="sql"/> writes (binding its parameters on the command), then its plan, a line a step.</summary>
    public static async Task<string> ExplainAsync(string path, Func<SqliteCommand, string> sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql(command);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(3));
        }
        // The statement leads, so a failing assertion shows what was planned.
        return command.CommandText + "\n" + string.Join("\n", lines);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        SqliteDatabase.RegisterFunctions(connection);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
