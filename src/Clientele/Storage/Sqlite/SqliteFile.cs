using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// The database file the server was started with. A sentinel connection holds it open, and SQLite's
/// <c>SQLITE_FCNTL_HAS_MOVED</c> answers, with one <c>stat</c> of the path, whether the path still leads to the inode
/// that handle has open: deleted, or replaced by a rename or a copy, the path leads elsewhere (SQLite compares inode
/// numbers; a rename cannot cross devices, so the device is the same). An open handle keeps writing to a deleted
/// file without an error, so this is the only way to learn a write went nowhere. Once lost, lost until a restart:
/// whatever the path leads to now is not the file the acknowledged writes are in.
/// </summary>
internal sealed partial class SqliteFile : IDisposable
{
    private const int SqliteFcntlHasMoved = 20;

    private readonly string _connectionString;
    private readonly string? _folder;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SqliteConnection? _sentinel;
    private bool _disposed;
    private int _lost;

    private SqliteFile(string connectionString, SqliteConnection? sentinel, string? path, ILogger logger)
    {
        _connectionString = connectionString;
        _sentinel = sentinel;
        Path = path;
        _folder = path is null ? null : System.IO.Path.GetDirectoryName(path);
        _logger = logger;
    }

    /// <summary>The full path of the file; null for an in-memory database.</summary>
    public string? Path { get; }

    /// <summary>Whether the file was found deleted or replaced; never reset.</summary>
    public bool IsLost => Volatile.Read(ref _lost) != 0;

    /// <summary>Opens the sentinel on <paramref name="path"/>; call once the writer has created the file.</summary>
    public static SqliteFile Open(string connectionString, string? path, ILogger logger) =>
        new(connectionString, path is null ? null : OpenSentinel(connectionString), path, logger);

    private static SqliteConnection OpenSentinel(string connectionString)
    {
        var sentinel = new SqliteConnection(connectionString);
        try
        {
            sentinel.Open();
            // SQLite opens the file lazily, at the first statement that reads it.
            SqliteDatabase.Execute(sentinel, "PRAGMA schema_version");
        }
        catch
        {
            sentinel.Dispose();
            throw;
        }
        return sentinel;
    }

    /// <summary>
    /// Runs <paramref name="open"/> (which opens the writer) with the sentinel closed, then opens the sentinel again: for
    /// the moment every handle on the file must be closed (<see cref="SqliteWriteFaults.TryReopen"/> says why). The caller
    /// has just checked that the path leads to the file, so only a replacement within this moment would go unseen. The
    /// sentinel is opened again even when the writer did not open, so the file stays watched; should not even the sentinel
    /// open, the file counts as lost (it can no longer be vouched for).
    /// </summary>
    public SqliteConnection ReopenWith(Func<SqliteConnection> open)
    {
        lock (_gate)
        {
            _sentinel?.Dispose();
            _sentinel = null;
            try
            {
                return open();
            }
            finally
            {
                try
                {
                    _sentinel = OpenSentinel(_connectionString);
                }
                catch (SqliteException)
                {
                    // Left null: CheckLost reports the file lost.
                }
            }
        }
    }

    /// <summary>
    /// One <c>stat</c>: whether the path no longer leads to the file the server opened. The first time it does not,
    /// the file is marked lost and one error is logged.
    /// </summary>
    public bool CheckLost()
    {
        if (IsLost)
        {
            return true;
        }
        if (Path is null)
        {
            return false;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }
            // No sentinel: it did not open again after a reopen, and the file can no longer be vouched for.
            if (_sentinel?.Handle is { } handle)
            {
                var moved = 0;
                // Any result but SQLITE_OK means a VFS that cannot tell (not the unix one); it keeps no inode to compare.
                if (FileControl(handle.DangerousGetHandle(), "main", SqliteFcntlHasMoved, ref moved) != 0 || moved == 0)
                {
                    return false;
                }
            }
        }
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            FileLost(_logger, Path!);
        }
        return true;
    }

    /// <summary>Free space for this process on the file's file system (one <c>statvfs</c>); null when it cannot be read.</summary>
    public long? AvailableBytes()
    {
        if (_folder is null)
        {
            return null;
        }
        try
        {
            return new DriveInfo(_folder).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sentinel?.Dispose();
            _sentinel = null;
        }
    }

    /// <summary>SQLitePCLRaw does not expose <c>sqlite3_file_control</c>; the library is the one it loads.</summary>
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileControl(nint database, string name, int operation, ref int result);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database file {Path} was deleted or replaced while the server had it open; every request now answers 503 until the server is restarted")]
    private static partial void FileLost(ILogger logger, string path);
}
