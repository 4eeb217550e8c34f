using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Commands kept prepared per connection. SQLite compiles a statement on its first run and Microsoft.Data.Sqlite
/// keeps it compiled while the command's text stays the same, so reusing the command on a long-lived connection
/// (the writer, the read pool's) saves a parse and plan per execution.
/// </summary>
internal static class SqliteStatements
{
    /// <summary>
    /// Searches and partial updates make SQL from the request's shape; past this many distinct texts on one
    /// connection the cache starts again, so a stream of unusual shapes cannot grow it without end.
    /// </summary>
    private const int MaxPerConnection = 256;

    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = [];

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, parameters cleared, enlisted in <paramref name="transaction"/>
    /// (which must be the connection's current one, if it has one). Not to be disposed by the caller.
    /// </summary>
    public static SqliteCommand Prepared(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var commands = Cache.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            if (commands.Count >= MaxPerConnection)
            {
                foreach (var old in commands.Values)
                {
                    old.Dispose();
                }
                commands.Clear();
            }
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }
}
