using Npgsql;

namespace Clientele.Storage.Postgres;

public sealed class PostgresAccountStore(PostgresDatabase database, TimeProvider clock) : IAccountStore
{
    public Task<long?> CreateAccountAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var id = await ScalarAsync(connection, "INSERT INTO accounts (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id",
                cancellationToken, ("name", name), ("now", Now()));
            return (id, id is not null);
        }, cancellationToken);

    public async Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT id FROM accounts WHERE name = @name", cancellationToken, ("name", name));
    }

    public Task<long> CreateKeyAsync(long accountId, string? label, byte[] keyHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var id = await ScalarAsync(connection, "INSERT INTO api_keys (account_id, label, key_hash, created_at) VALUES (@account, @label, @hash, @now) RETURNING id",
                cancellationToken, ("account", accountId), ("label", label), ("hash", keyHash), ("now", Now()));
            return (id!.Value, true);
        }, cancellationToken);

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT k.id, a.name, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN accounts a ON a.id = k.account_id ORDER BY k.id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyInfo(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4))));
        }
        return keys;
    }

    public Task<bool> RevokeKeyAsync(long keyId, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var revoked = await ScalarAsync(connection, "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL RETURNING id",
                cancellationToken, ("id", keyId), ("now", Now())) is not null;
            return (revoked, revoked);
        }, cancellationToken);

    public async Task<KeyOwner?> FindKeyOwnerAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT k.account_id, a.rate_limit FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = @hash AND k.revoked_at IS NULL");
        command.Parameters.AddWithValue("hash", keyHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new KeyOwner(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : null;
    }

    public Task<bool> SetRateLimitAsync(string accountName, int? permitsPerMinute, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var found = await ScalarAsync(connection, "UPDATE accounts SET rate_limit = @limit WHERE name = @name RETURNING id",
                cancellationToken, ("limit", permitsPerMinute), ("name", accountName)) is not null;
            return (found, found);
        }, cancellationToken);

    /// <summary>Nodes starting together may all run this at once: both statements are upserts.</summary>
    public Task<bool> EnsureKeyAsync(string accountName, byte[] keyHash, string label, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await ScalarAsync(connection, "INSERT INTO accounts (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id",
                cancellationToken, ("name", accountName), ("now", Now()));
            var accountId = (await ScalarAsync(connection, "SELECT id FROM accounts WHERE name = @name", cancellationToken, ("name", accountName)))!.Value;
            // A live bootstrap key that belongs elsewhere is moved to this account: the operator who sets the variable decides.
            // A revoked one matches no row of the update and stays revoked.
            var live = await ScalarAsync(connection,
                "INSERT INTO api_keys (account_id, label, key_hash, created_at) VALUES (@account, @label, @hash, @now) " +
                "ON CONFLICT (key_hash) DO UPDATE SET account_id = excluded.account_id WHERE api_keys.revoked_at IS NULL RETURNING id",
                cancellationToken, ("account", accountId), ("label", label), ("hash", keyHash), ("now", Now())) is not null;
            return (live, true);
        }, cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeSeconds();

    private static async Task<long?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }
}
