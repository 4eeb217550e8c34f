using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Commands kept prepared per connection. SQLite compiles a statement on its first run and Microsoft.Data.Sqlite
/// keeps it compiled while the command's text stays the same, so reusing the command on the writer's long-lived
/// connection saves a parse and plan per row; on a pooled read connection the cache simply dies with it.
/// </summary>
internal static class SqliteStatements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = [];

    /// <summary>The connection's command for <paramref name="sql"/>, parameters cleared. Not to be disposed by the caller.</summary>
    public static SqliteCommand Prepared(this SqliteConnection connection, string sql)
    {
        var commands = Cache.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }
        command.Parameters.Clear();
        return command;
    }
}
