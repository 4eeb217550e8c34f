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
    /// Searches and partial updates make SQL from the request's shape, so the cache is bounded in statements and
    /// in characters of SQL (a compiled statement grows with its text): 100 searches of 50,000 tag names, each
    /// text kept, took the server from 94 MB to 3.3 GB. The hot statements are a few dozen short ones.
    /// </summary>
    internal const int MaxPerConnection = 256;

    /// <inheritdoc cref="MaxPerConnection"/>
    internal const int MaxCharactersPerConnection = 256 * 1024;

    private static readonly ConditionalWeakTable<SqliteConnection, Statements> Cache = [];

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, compiled, parameters cleared, enlisted in
    /// <paramref name="transaction"/> (which must be the connection's current one, if it has one). Not to be disposed
    /// by the caller. A text SQLite refuses to compile throws here and is not kept.
    /// </summary>
    public static SqliteCommand Prepared(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = Cache.GetOrCreateValue(connection).Get(connection, sql, transaction);
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The statements a connection keeps and the characters of their texts.</summary>
    internal static (int Statements, long Characters) Kept(this SqliteConnection connection) =>
        Cache.TryGetValue(connection, out var statements) ? (statements.Count, statements.Characters) : (0, 0);

    /// <summary>
    /// Least recently used first out: a stream of one-off search shapes evicts its own kind and leaves the
    /// writer's and the reads' hot statements compiled, where starting over would recompile them all each time.
    /// </summary>
    private sealed class Statements
    {
        private readonly Dictionary<string, LinkedListNode<SqliteCommand>> _bySql = new(StringComparer.Ordinal);
        private readonly LinkedList<SqliteCommand> _byUse = [];

        public int Count => _bySql.Count;

        public long Characters { get; private set; }

        public SqliteCommand Get(SqliteConnection connection, string sql, SqliteTransaction? transaction)
        {
            if (_bySql.TryGetValue(sql, out var node))
            {
                _byUse.Remove(node);
                _byUse.AddFirst(node);
                node.Value.Transaction = transaction;
                return node.Value;
            }
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            try
            {
                command.Prepare();
            }
            catch
            {
                command.Dispose();
                throw;
            }
            // Room first, then the new text: a text longer than the whole allowance is kept alone, and goes at
            // the next new text.
            while (_byUse.Last is { } oldest && (_bySql.Count >= MaxPerConnection || Characters + sql.Length > MaxCharactersPerConnection))
            {
                _byUse.RemoveLast();
                _bySql.Remove(oldest.Value.CommandText);
                Characters -= oldest.Value.CommandText.Length;
                oldest.Value.Dispose();
            }
            _bySql[sql] = _byUse.AddFirst(command);
            Characters += sql.Length;
            return command;
        }
    }
}
