using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// The one connection that writes. SQLite allows a single writer at a time, so writes queue here and
/// run on a dedicated thread. Whatever is queued while a commit is in flight is run together in the next
/// transaction (group commit): one fsync acknowledges many requests, and each request still has its own
/// savepoint, so one that fails or refuses leaves no trace while the others commit. A bulk write (an import
/// batch) runs alone in its own transaction instead: under a savepoint SQLite would copy every page it touches
/// into the savepoint's journal, which for thousands of rows costs more than the rows themselves.
/// A group is acknowledged only while the path still leads to the file the server opened (<see cref="SqliteFile"/>,
/// one <c>stat</c> per group, after its commit); a group that fails for a storage reason (read-only, full, I/O, busy)
/// fails whole with <see cref="StorageUnavailableException"/>, and <see cref="SqliteWriteFaults"/> remembers it until a
/// commit succeeds.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxGroup = 64;

    private readonly SqliteFile _file;
    private readonly SqliteWriteFaults _faults;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    /// <summary>Null only after a reopen failed; <see cref="SqliteWriteFaults.IsReadOnly"/> is then true, so no group uses it.</summary>
    private SqliteConnection? _connection;

    /// <param name="connection">The open, configured connection to write with.</param>
    /// <param name="reopen">Closes every other handle on the file and opens a writer connection anew.</param>
    public SqliteWriter(SqliteConnection connection, Func<SqliteConnection> reopen, SqliteFile file, ILogger logger)
    {
        _connection = connection;
        _file = file;
        _faults = new SqliteWriteFaults(connection, reopen, file, logger);
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <inheritdoc cref="SqliteWriteFaults.CanWrite"/>
    public bool CanWrite => _faults.CanWrite;

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction and completes once it is durably committed.
    /// When <see cref="WorkResult{T}.Keep"/> is false its changes are rolled back and the value still returned.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, WorkResult<T>> work) => Enqueue(new Work<T>(work, alone: false));

    /// <summary>
    /// Runs <paramref name="work"/> as a transaction of its own, without a savepoint, and completes once it is durably
    /// committed. For bulk writes whose items fail one statement at a time (SQLite undoes just that statement);
    /// if the work throws, everything it wrote is rolled back.
    /// </summary>
    public Task<T> WriteAloneAsync<T>(Func<SqliteConnection, T> work) =>
        Enqueue(new Work<T>(connection => new WorkResult<T>(work(connection), Keep: true), alone: true));

    private Task<T> Enqueue<T>(Work<T> item)
    {
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Task;
    }

    private void Run()
    {
        var group = new List<IWork>(MaxGroup);
        IWork? next = null;
        while (next is not null || _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (next is null && !_queue.Reader.TryRead(out next))
            {
                continue;
            }
            if (next.Alone)
            {
                CommitGroup([next], savepoints: false);
                next = null;
                continue;
            }
            group.Add(next);
            next = null;
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item))
            {
                if (item.Alone)
                {
                    next = item;
                    break;
                }
                group.Add(item);
            }
            CommitGroup(group, savepoints: true);
            group.Clear();
        }
    }

    private void CommitGroup(List<IWork> group, bool savepoints)
    {
        if (_file.IsLost)
        {
            FailLost(group);
            return;
        }
        if (_faults.IsReadOnly && !_faults.TryReopen(ref _connection))
        {
            // Even an empty transaction "commits" on a read-only handle; nothing here could be written.
            FailGroup(group, _faults.ReadOnlyError());
            _faults.NoteReadOnly();
            return;
        }
        try
        {
            Execute("BEGIN IMMEDIATE");
            foreach (var work in group)
            {
                if (!savepoints)
                {
                    if (!work.Run(Connection))
                    {
                        // Keeps the stack of the failure inside the work, which is what its caller sees.
                        ExceptionDispatchInfo.Throw(work.Error!);
                    }
                    continue;
                }
                Execute("SAVEPOINT request");
                var keep = work.Run(Connection);
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
            // A work that hit the fault left it in its own error; the group then failed on a savepoint SQLite had
            // already rolled back with the transaction.
            var fault = e is SqliteException failed && SqliteDatabase.IsStorageFault(failed)
                ? failed
                : group.Select(w => w.Error).OfType<SqliteException>().FirstOrDefault(SqliteDatabase.IsStorageFault);
            if (fault is null)
            {
                FailGroup(group, e);
                return;
            }
            if (_file.CheckLost())
            {
                FailLost(group);
                return;
            }
            FailGroup(group, SqliteWriteFaults.CommitError(fault));
            _faults.NoteCommitFault(fault);
            return;
        }
        // Committed, but into the file the server opened only if the path still leads to it.
        if (_file.CheckLost())
        {
            FailLost(group);
            return;
        }
        _faults.NoteCommitted();
        foreach (var work in group)
        {
            work.Complete();
        }
    }

    private static void FailGroup(List<IWork> group, Exception error)
    {
        foreach (var work in group)
        {
            work.Fail(error);
        }
    }

    /// <summary>Fails the group with the lost file's 503, then empties the lost file's WAL.</summary>
    private void FailLost(List<IWork> group)
    {
        FailGroup(group, _faults.LostError());
        _faults.DiscardWalOfLostFile(_connection);
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

    private SqliteConnection Connection => _connection ?? throw _faults.NotReopenedError();

    private void Execute(string sql) => Connection.Prepared(sql).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
        if (_file.CheckLost())
        {
            _faults.DiscardWalOfLostFile(_connection);
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            // The container disposes the database once per service it is registered as.
            _connection = null;
        }
    }

    private interface IWork
    {
        /// <summary>Runs in its own transaction rather than in a savepoint of a group.</summary>
        bool Alone { get; }

        /// <summary>What <see cref="Run"/> caught, if it threw.</summary>
        Exception? Error { get; }

        /// <summary>
        /// Runs inside the group's savepoint (or, alone, its own transaction); a thrown failure is kept and rolled back,
        /// never spread to a group.
        /// </summary>
        bool Run(SqliteConnection connection);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class Work<T>(Func<SqliteConnection, WorkResult<T>> work, bool alone) : IWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WorkResult<T> _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public bool Alone => alone;

        public Exception? Error => _error;

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
