using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

public sealed class SqliteAccountStore(SqliteDatabase database, TimeProvider clock) : IAccountStore
{
    public Task<long?> CreateAccountAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var id = Scalar(connection, "INSERT INTO accounts (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id",
                ("@name", name), ("@now", Now()));
            return new WorkResult<long?>(id, id is not null);
        });

    public async Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        return Scalar(lease.Connection, "SELECT id FROM accounts WHERE name = @name", ("@name", name));
    }

    public Task<long> CreateKeyAsync(long accountId, string? label, byte[] keyHash, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => new WorkResult<long>(InsertKey(connection, accountId, label, keyHash), Keep: true));

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        var command = lease.Connection.Prepared("SELECT k.id, a.name, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN accounts a ON a.id = k.account_id ORDER BY k.id");
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKeyInfo>();
        while (reader.Read())
        {
            keys.Add(new ApiKeyInfo(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4))));
        }
        return keys;
    }

    public Task<bool> RevokeKeyAsync(long keyId, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var revoked = Scalar(connection, "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL RETURNING id",
                ("@id", keyId), ("@now", Now())) is not null;
            return new WorkResult<bool>(revoked, revoked);
        });

    public async Task<KeyOwner?> FindKeyOwnerAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        var command = lease.Connection.Prepared("SELECT k.account_id, a.rate_limit FROM api_keys k JOIN accounts a ON a.id = k.account_id " +
                                                "WHERE k.key_hash = @hash AND k.revoked_at IS NULL");
        command.Parameters.AddWithValue("@hash", keyHash);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new KeyOwner(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : null;
    }

    public Task<bool> SetRateLimitAsync(string accountName, int? permitsPerMinute, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var found = Scalar(connection, "UPDATE accounts SET rate_limit = @limit WHERE name = @name RETURNING id",
                ("@limit", permitsPerMinute), ("@name", accountName)) is not null;
            return new WorkResult<bool>(found, found);
        });

    public Task<bool> EnsureKeyAsync(string accountName, byte[] keyHash, string label, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var accountId = Scalar(connection, "SELECT id FROM accounts WHERE name = @name", ("@name", accountName))
                ?? Scalar(connection, "INSERT INTO accounts (name, created_at) VALUES (@name, @now) RETURNING id", ("@name", accountName), ("@now", Now()))!.Value;
            var keyId = Scalar(connection, "SELECT id FROM api_keys WHERE key_hash = @hash", ("@hash", keyHash));
            if (keyId is null)
            {
                InsertKey(connection, accountId, label, keyHash);
                return new WorkResult<bool>(true, Keep: true);
            }
            // A live bootstrap key that belongs elsewhere is moved to this account: the operator who sets the variable decides.
            var live = Scalar(connection, "UPDATE api_keys SET account_id = @account WHERE id = @id AND revoked_at IS NULL RETURNING id",
                ("@account", accountId), ("@id", keyId)) is not null;
            return new WorkResult<bool>(live, Keep: true);
        });

    private long InsertKey(SqliteConnection connection, long accountId, string? label, byte[] keyHash) =>
        Scalar(connection, "INSERT INTO api_keys (account_id, label, key_hash, created_at) VALUES (@account, @label, @hash, @now) RETURNING id",
            ("@account", accountId), ("@label", label), ("@hash", keyHash), ("@now", Now()))!.Value;

    private long Now() => clock.GetUtcNow().ToUnixTimeSeconds();

    private static long? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.Prepared(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command.ExecuteScalar() is long id ? id : null;
    }
}
