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
    /// <summary>How long a found file is trusted before it is looked for again.</summary>
    private static readonly TimeSpan FileCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _connectionString;
    private readonly string? _path;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<Pooled> _idle = [];
    private readonly TimeProvider _clock = TimeProvider.System;
    private long _generation;
    private long _fileCheckedAt;

    public SqliteReadPool(string connectionString, string? path, int size)
    {
        _connectionString = connectionString;
        _path = path;
        _slots = new SemaphoreSlim(size, size);
        _fileCheckedAt = _clock.GetTimestamp();
    }

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            if (_clock.GetElapsedTime(Interlocked.Read(ref _fileCheckedAt)) > FileCheckInterval)
            {
                CheckFile();
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

    /// <summary>
    /// An open connection keeps reading the file it opened even after that file was deleted or replaced; when the
    /// path no longer leads to a file, every pooled connection is retired, so the next read opens the path anew
    /// and fails (503) instead of answering from a database nobody can reach any more.
    /// </summary>
    public void CheckFile()
    {
        Interlocked.Exchange(ref _fileCheckedAt, _clock.GetTimestamp());
        if (_path is not null && !File.Exists(_path))
        {
            Interlocked.Increment(ref _generation);
        }
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
        if (pooled.Generation != Interlocked.Read(ref _generation))
        {
            pooled.Connection.Dispose();
        }
        else
        {
            _idle.Add(pooled);
        }
        _slots.Release();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var idle))
        {
            idle.Connection.Dispose();
        }
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
