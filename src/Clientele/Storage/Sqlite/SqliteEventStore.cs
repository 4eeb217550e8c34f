namespace Clientele.Storage.Sqlite;

public sealed class SqliteEventStore(SqliteDatabase database, TimeProvider clock) : IEventStore
{
    public Task<EventRecord?> AddAsync(long accountId, long customerId, string name, string? dataJson, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var createdAt = clock.GetUtcNow().ToUnixTimeSeconds();
            // The customer must be the account's: the select yields no row otherwise, and nothing is inserted.
            var command = connection.Prepared(
                "INSERT INTO events (account_id, customer_id, name, data, created_at) " +
                "SELECT account_id, id, @name, @data, @created_at FROM customers WHERE id = @customer_id AND account_id = @account_id " +
                "RETURNING id");
            command.Parameters.AddWithValue("@name", name);
            command.Parameters.AddWithValue("@data", (object?)dataJson ?? DBNull.Value);
            command.Parameters.AddWithValue("@created_at", createdAt);
            command.Parameters.AddWithValue("@customer_id", customerId);
            command.Parameters.AddWithValue("@account_id", accountId);
            var id = command.ExecuteScalar() as long?;
            var record = id is { } eventId ? new EventRecord(eventId, name, dataJson, createdAt, customerId) : null;
            return new WorkResult<EventRecord?>(record, record is not null);
        });
}
