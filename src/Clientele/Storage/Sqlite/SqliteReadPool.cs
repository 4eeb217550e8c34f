using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Read connections kept open for the life of the server. Microsoft.Data.Sqlite's own pool keeps the file open
/// but finalizes a connection's compiled statements on every close, so each request compiled its SQL again; a
/// connection held here keeps its commands prepared (<see cref="SqliteStatements"/>) and its SQL functions
/// registered. A few per core (<see cref="SqliteDatabase"/> sizes it): reads are synchronous CPU work in SQLite,
/// so many more would only add page caches, and the spare ones keep a slow search from holding up point reads.
/// </summary>
internal sealed class SqliteReadPool : IDisposable
{
    /// <summary>How long the file is trusted before a read looks again whether the path still leads to it.</summary>
    private static readonly TimeSpan FileCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _connectionString;
    private readonly SqliteFile _file;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<Pooled> _idle = [];
    private readonly TimeProvider _clock = TimeProvider.System;
    private long _generation;
    private long _fileCheckedAt;

    /// <param name="connectionString">Without the driver's pool, so a retired connection really closes its file.</param>
    public SqliteReadPool(string connectionString, SqliteFile file, int size)
    {
        _connectionString = connectionString;
        _file = file;
        _slots = new SemaphoreSlim(size, size);
        _fileCheckedAt = _clock.GetTimestamp();
    }

    /// <summary>
    /// An open connection keeps reading the file it opened even after that file was deleted or replaced, and a new
    /// one would read whatever the path leads to now; once the file is lost (<see cref="SqliteFile"/>, looked at
    /// every <see cref="FileCheckInterval"/> at most, one <c>stat</c>), every connection is retired and reads answer
    /// 503 instead of serving a database the writes no longer reach.
    /// </summary>
    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetTimestamp();
            if (_clock.GetElapsedTime(Interlocked.Read(ref _fileCheckedAt), now) > FileCheckInterval)
            {
                Interlocked.Exchange(ref _fileCheckedAt, now);
                _file.CheckLost();
            }
            if (_file.IsLost)
            {
                RetireIdle();
                throw new StorageUnavailableException($"The database file {_file.Path} was deleted or replaced since the server opened it.");
            }
            var generation = Interlocked.Read(ref _generation);
            while (_idle.TryTake(out var idle))
            {
                if (idle.Generation == generation)
                {
                    return new Lease(this, idle);
                }
                idle.Connection.Dispose();
            }
            return new Lease(this, Open(generation));
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Closes every connection: idle ones now, leased ones when they come back; new ones open the file anew.</summary>
    public void RetireAll()
    {
        Interlocked.Increment(ref _generation);
        RetireIdle();
    }

    private Pooled Open(long generation)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteDatabase.RegisterFunctions(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new Pooled(connection, generation);
    }

    private void Return(Pooled pooled)
    {
        if (_file.IsLost || pooled.Generation != Interlocked.Read(ref _generation))
        {
            pooled.Connection.Dispose();
        }
        else
        {
            _idle.Add(pooled);
        }
        _slots.Release();
    }

    private void RetireIdle()
    {
        while (_idle.TryTake(out var idle))
        {
            idle.Connection.Dispose();
        }
    }

    public void Dispose()
    {
        RetireIdle();
        _slots.Dispose();
    }

    internal sealed record Pooled(SqliteConnection Connection, long Generation);

    /// <summary>One request's use of a connection; disposing it gives the connection back.</summary>
    internal readonly struct Lease(SqliteReadPool pool, Pooled pooled) : IDisposable
    {
        public SqliteConnection Connection => pooled.Connection;

        public void Dispose() => pool.Return(pooled);
    }
}
