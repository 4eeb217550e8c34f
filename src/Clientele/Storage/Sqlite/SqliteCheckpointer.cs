using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on its own thread and connection. Left to SQLite, the
/// commit that crosses 1,000 WAL pages does the copy and the fsync of the database file itself, on the writer,
/// while every queued request waits; here the writer only appends to the WAL. A passive checkpoint never blocks
/// the writer or a reader: frames a reader still needs are left for the next round.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly string _connectionString;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public SqliteCheckpointer(string connectionString)
    {
        _connectionString = connectionString;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        while (!_stop.Wait(Interval))
        {
            try
            {
                if (connection is null)
                {
                    connection = new SqliteConnection(_connectionString);
                    connection.Open();
                }
                connection.Prepared("PRAGMA wal_checkpoint(PASSIVE)").ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // The file is out of reach for now (requests are answering 503); open it afresh on the next round.
                connection?.Dispose();
                connection = null;
            }
        }
        connection?.Dispose();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
