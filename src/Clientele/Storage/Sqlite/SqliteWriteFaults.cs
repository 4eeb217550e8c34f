using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// What the storage refused the <see cref="SqliteWriter"/>, remembered until a commit succeeds: whether its handle is
/// read-only and when to open the file anew, whether the last commit failed for a storage reason (what <c>/healthz</c>
/// asks through <see cref="CanWrite"/>), whether the WAL of a lost file was emptied, and the 503s each fault answers.
/// Used only from the writer's thread (or after it stopped), except <see cref="CanWrite"/>.
/// </summary>
internal sealed partial class SqliteWriteFaults
{
    private const int SqliteReadOnly = 8;

    /// <summary>While the file cannot be written, how often at most every handle is closed to open it anew.</summary>
    private static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    private readonly Func<SqliteConnection> _reopen;
    private readonly SqliteFile _file;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock = TimeProvider.System;
    private long _reopenedAt;
    private volatile bool _readOnly;
    private volatile bool _failing;
    private int _failureCode;
    private bool _walDiscarded;

    /// <param name="connection">The writer's first connection.</param>
    /// <param name="reopen">Closes every other handle on the file and opens a writer connection anew.</param>
    public SqliteWriteFaults(SqliteConnection connection, Func<SqliteConnection> reopen, SqliteFile file, ILogger logger)
    {
        _reopen = reopen;
        _file = file;
        _logger = logger;
        _readOnly = IsReadOnlyHandle(connection);
    }

    /// <summary>
    /// False while the handle is read-only or the last commit failed for a storage reason (until one succeeds):
    /// what <c>/healthz</c> cannot see from outside.
    /// </summary>
    public bool CanWrite => !_readOnly && !_failing;

    /// <summary>Whether the writer's handle (or the WAL index it shares) is read-only; then <see cref="TryReopen"/> first.</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>
    /// A connection opened while the file or its file system was read-only stays read-only, and so does SQLite's one
    /// index of the WAL (the -shm) that every handle on the file shares, until the last of them closes. So, at most
    /// once per <see cref="ReopenInterval"/> while that lasts, every handle is closed and the file opened anew into
    /// <paramref name="connection"/> (null if that fails); the path was checked to lead to the same file just before.
    /// True once the new handle can write.
    /// </summary>
    public bool TryReopen(ref SqliteConnection? connection)
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
        connection?.Dispose();
        connection = null;
        try
        {
            connection = _reopen();
        }
        catch (SqliteException)
        {
            return false;
        }
        _readOnly = IsReadOnlyHandle(connection);
        return !_readOnly;
    }

    /// <summary>A group was refused because the handle stayed read-only.</summary>
    public void NoteReadOnly() => NoteFailure(SqliteReadOnly, "the database file or its file system is read-only");

    /// <summary>A commit failed for a storage reason.</summary>
    public void NoteCommitFault(SqliteException fault)
    {
        // A read-only handle, or a writable one that shares a WAL index opened read-only.
        _readOnly = (fault.SqliteErrorCode & 0xff) == SqliteReadOnly;
        NoteFailure(fault.SqliteExtendedErrorCode, fault.Message);
    }

    /// <summary>A commit succeeded: whatever failed before is over.</summary>
    public void NoteCommitted()
    {
        if (_failing)
        {
            _failing = false;
            _failureCode = 0;
            WritesAgain(_logger);
        }
    }

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
    /// SQLite does not checkpoint a moved file when it closes it, so the WAL left at the path (ours, when only the
    /// database file was replaced) would be replayed into whatever file is there at the next start, over its pages.
    /// A checkpoint into the lost file that truncates the WAL, through the writer's <paramref name="connection"/> and
    /// its own handles, no path, leaves nothing to replay. Busy (a read in flight) leaves it for the next try; shutdown
    /// tries last.
    /// </summary>
    public void DiscardWalOfLostFile(SqliteConnection? connection)
    {
        if (_walDiscarded || connection is null)
        {
            return;
        }
        try
        {
            _walDiscarded = Convert.ToInt64(connection.Prepared("PRAGMA wal_checkpoint(TRUNCATE)").ExecuteScalar(), CultureInfo.InvariantCulture) == 0;
        }
        catch (SqliteException)
        {
            // The WAL is out of reach too (deleted with the file, or a failing disk): nothing of it can be replayed.
            _walDiscarded = true;
        }
    }

    public StorageUnavailableException LostError() => new($"The database file {_file.Path} was deleted or replaced since the server opened it.");

    public StorageUnavailableException ReadOnlyError() => new($"The database file {_file.Path} or its file system is read-only.");

    public StorageUnavailableException NotReopenedError() => new($"The database file {_file.Path} could not be opened again.");

    public static StorageUnavailableException CommitError(SqliteException fault) => new("The commit failed: " + fault.Message, fault);

    private static bool IsReadOnlyHandle(SqliteConnection connection) => raw.sqlite3_db_readonly(connection.Handle, "main") == 1;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite database cannot take writes (SQLite error {Code}: {Reason}); writes answer 503 until one commits")]
    private static partial void CannotWrite(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The SQLite database takes writes again")]
    private static partial void WritesAgain(ILogger logger);
}
