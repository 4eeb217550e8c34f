using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
/// fails whole with <see cref="StorageUnavailableException"/>, and the writer remembers it until a commit succeeds.
/// </summary>
internal sealed partial class SqliteWriter : IAsyncDisposable
{
    private const int MaxGroup = 64;
    private const int SqliteReadOnly = 8;

    /// <summary>While the file cannot be written, how often at most every handle is closed to open it anew.</summary>
    private static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    private readonly Func<SqliteConnection> _reopen;
    private readonly SqliteFile _file;
    private readonly ILogger _logger;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly TimeProvider _clock = TimeProvider.System;
    /// <summary>Null only after a reopen failed; <see cref="_readOnly"/> is then true, so no group uses it.</summary>
    private SqliteConnection? _connection;
    private long _reopenedAt;
    private volatile bool _readOnly;
    private volatile bool _failing;
    private int _failureCode;
    private bool _walDiscarded;

    /// <param name="connection">The open, configured connection to write with.</param>
    /// <param name="reopen">Closes every other handle on the file and opens a writer connection anew.</param>
    public SqliteWriter(SqliteConnection connection, Func<SqliteConnection> reopen, SqliteFile file, ILogger logger)
    {
        _connection = connection;
        _reopen = reopen;
        _file = file;
        _logger = logger;
        _readOnly = IsReadOnly(connection);
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <summary>
    /// False while the handle is read-only or the last commit failed for a storage reason (until one succeeds):
    /// what <c>/healthz</c> cannot see from outside.
    /// </summary>
    public bool CanWrite => !_readOnly && !_failing;

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
            FailGroup(group, Lost());
            DiscardWalOfLostFile();
            return;
        }
        if (_readOnly && !TryReopen())
        {
            // Even an empty transaction "commits" on a read-only handle; nothing here could be written.
            FailGroup(group, new StorageUnavailableException($"The database file {_file.Path} or its file system is read-only."));
            NoteFailure(SqliteReadOnly, "the database file or its file system is read-only");
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
                FailGroup(group, Lost());
                DiscardWalOfLostFile();
                return;
            }
            FailGroup(group, new StorageUnavailableException("The commit failed: " + fault.Message, fault));
            // A read-only handle, or a writable one that shares a WAL index opened read-only.
            _readOnly = (fault.SqliteErrorCode & 0xff) == SqliteReadOnly;
            NoteFailure(fault.SqliteExtendedErrorCode, fault.Message);
            return;
        }
        // Committed, but into the file the server opened only if the path still leads to it.
        if (_file.CheckLost())
        {
            FailGroup(group, Lost());
            DiscardWalOfLostFile();
            return;
        }
        if (_failing)
        {
            _failing = false;
            _failureCode = 0;
            WritesAgain(_logger);
        }
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

    /// <summary>
    /// SQLite does not checkpoint a moved file when it closes it, so the WAL left at the path (ours, when only the
    /// database file was replaced) would be replayed into whatever file is there at the next start, over its pages.
    /// A checkpoint into the lost file that truncates the WAL, through this connection's own handles and no path,
    /// leaves nothing to replay. Busy (a read in flight) leaves it for the next try; shutdown tries last.
    /// </summary>
    private void DiscardWalOfLostFile()
    {
        if (_walDiscarded || _connection is null)
        {
            return;
        }
        try
        {
            _walDiscarded = Convert.ToInt64(_connection.Prepared("PRAGMA wal_checkpoint(TRUNCATE)").ExecuteScalar(), CultureInfo.InvariantCulture) == 0;
        }
        catch (SqliteException)
        {
            // The WAL is out of reach too (deleted with the file, or a failing disk): nothing of it can be replayed.
            _walDiscarded = true;
        }
    }

    private StorageUnavailableException Lost() => new($"The database file {_file.Path} was deleted or replaced since the server opened it.");

    /// <summary>Logs a failure once per kind, not once per refused request.</summary>
    private void NoteFailure(int code, string reason)
    {
        _failing = true;
        if (_failureCode != code)
        {
            _failureCode = code;
            CannotWrite(_logger, code, reason);
        }
    }

    /// <summary>
    /// A connection opened while the file or its file system was read-only stays read-only, and so does SQLite's one
    /// index of the WAL (the -shm) that every handle on the file shares, until the last of them closes. So, at most
    /// once per <see cref="ReopenInterval"/> while that lasts, every handle is closed and the file opened anew; the
    /// path was checked to lead to the same file just before.
    /// </summary>
    private bool TryReopen()
    {
        var now = _clock.GetTimestamp();
        if (_reopenedAt != 0 && _clock.GetElapsedTime(_reopenedAt, now) < ReopenInterval)
        {
            return false;
        }
        _reopenedAt = now;
        if (_file.CheckLost())
        {
            return false;
        }
        _connection?.Dispose();
        _connection = null;
        try
        {
            _connection = _reopen();
        }
        catch (SqliteException)
        {
            return false;
        }
        _readOnly = IsReadOnly(_connection);
        return !_readOnly;
    }

    private static bool IsReadOnly(SqliteConnection connection) => raw.sqlite3_db_readonly(connection.Handle, "main") == 1;

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

    private SqliteConnection Connection => _connection ?? throw new StorageUnavailableException($"The database file {_file.Path} could not be opened again.");

    private void Execute(string sql) => Connection.Prepared(sql).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
        if (_file.CheckLost())
        {
            DiscardWalOfLostFile();
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            // The container disposes the database once per service it is registered as.
            _connection = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite database cannot take writes (SQLite error {Code}: {Reason}); writes answer 503 until one commits")]
    private static partial void CannotWrite(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The SQLite database takes writes again")]
    private static partial void WritesAgain(ILogger logger);

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
