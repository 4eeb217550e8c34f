using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// The one connection that writes. SQLite allows a single writer at a time, so writes queue here and
/// run on a dedicated thread. Whatever is queued while a commit is in flight is run together in the next
/// transaction (group commit): one fsync acknowledges many requests, and each request still has its own
/// savepoint, so one that fails or refuses leaves no trace while the others commit.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxGroup = 64;

    private readonly SqliteConnection _connection;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction and completes once it is durably committed.
    /// When <see cref="WorkResult{T}.Keep"/> is false its changes are rolled back and the value still returned.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, WorkResult<T>> work)
    {
        var item = new Work<T>(work);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Task;
    }

    private void Run()
    {
        var group = new List<IWork>(MaxGroup);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item))
            {
                group.Add(item);
            }
            CommitGroup(group);
            group.Clear();
        }
    }

    private void CommitGroup(List<IWork> group)
    {
        try
        {
            Execute("BEGIN IMMEDIATE");
            foreach (var work in group)
            {
                Execute("SAVEPOINT request");
                var keep = work.Run(_connection);
                if (!keep)
                {
                    Execute("ROLLBACK TO request");
                }
                Execute("RELEASE request");
            }
            Execute("COMMIT");
        }
        catch (Exception e)
        {
            RollbackQuietly();
            foreach (var work in group)
            {
                work.Fail(e);
            }
            return;
        }
        foreach (var work in group)
        {
            work.Complete();
        }
    }

    private void RollbackQuietly()
    {
        try
        {
            Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // The transaction is already gone (SQLite rolls back by itself on some I/O errors).
        }
    }

    private void Execute(string sql) => _connection.Prepared(sql).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
        await _connection.DisposeAsync();
    }

    private interface IWork
    {
        /// <summary>Runs inside the group's savepoint; a thrown failure is kept and rolled back, never spread to the group.</summary>
        bool Run(SqliteConnection connection);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class Work<T>(Func<SqliteConnection, WorkResult<T>> work) : IWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WorkResult<T> _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public bool Run(SqliteConnection connection)
        {
            try
            {
                _result = work(connection);
                return _result.Keep;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                _completion.TrySetResult(_result.Value);
            }
            else
            {
                _completion.TrySetException(_error);
            }
        }

        public void Fail(Exception error) => _completion.TrySetException(_error ?? error);
    }
}

/// <summary>A write's value, and whether its changes are kept (true) or rolled back (false).</summary>
internal readonly record struct WorkResult<T>(T Value, bool Keep);
