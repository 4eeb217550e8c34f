using Npgsql;

namespace Clientele.Storage.Postgres;

public sealed class PostgresEventStore(PostgresDatabase database, TimeProvider clock) : IEventStore
{
    public Task<EventRecord?> AddAsync(long accountId, long customerId, string name, string? dataJson, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var createdAt = clock.GetUtcNow().ToUnixTimeSeconds();
            // The customer must be the account's: the select yields no row otherwise, and nothing is inserted.
            await using var command = new NpgsqlCommand(
                "INSERT INTO events (account_id, customer_id, name, data, created_at) " +
                "SELECT account_id, id, @name, @data, @created_at FROM customers WHERE id = @customer_id AND account_id = @account_id " +
                "RETURNING id", connection);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("data", (object?)dataJson ?? DBNull.Value);
            command.Parameters.AddWithValue("created_at", createdAt);
            command.Parameters.AddWithValue("customer_id", customerId);
            command.Parameters.AddWithValue("account_id", accountId);
            var record = await command.ExecuteScalarAsync(cancellationToken) is long id ? new EventRecord(id, name, dataJson, createdAt, customerId) : null;
            return (record, record is not null);
        }, cancellationToken);
}
