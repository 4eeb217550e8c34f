using Clientele.Customers;
using Clientele.Search;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// Customers on PostgreSQL. A write locks the rows it changes (<c>FOR UPDATE</c>) before applying the edit to
/// what it read, so concurrent PATCHes through different nodes never lose each other's fields.
/// </summary>
public sealed partial class PostgresCustomerStore(PostgresDatabase database) : ICustomerStore
{
    /// <summary>A customer with its tags in one row (names and colours in link order), so a read is one round trip.</summary>
    private static readonly string SelectWithTags =
        $"SELECT {PostgresCustomerColumns.Table.SelectList("c")}, t.names, t.colors FROM customers c CROSS JOIN LATERAL " +
        "(SELECT array_agg(tg.name ORDER BY ct.position) AS names, array_agg(tg.color ORDER BY ct.position) AS colors " +
        "FROM customer_tags ct JOIN tags tg ON tg.id = ct.tag_id WHERE ct.customer_id = c.id) t ";

    private static readonly string SelectById = SelectWithTags + "WHERE c.id = @id AND c.account_id = @account_id";

    private static readonly string SelectForUpdate = SelectById + " FOR UPDATE OF c";

    // Every statement built on SelectWithTags lives in this file: static fields of a partial class initialise in
    // textual order within a file only.

    /// <summary>Every customer of a batch, locked in id order, so two batches touching the same customers cannot deadlock.</summary>
    private static readonly string SelectManyForUpdate =
        SelectWithTags + "WHERE c.id = ANY(@ids) AND c.account_id = @account_id ORDER BY c.id FOR UPDATE OF c";

    /// <summary>The stored customers an import batch names by userId, locked in id order.</summary>
    private static readonly string SelectByUserIdsForUpdate =
        SelectWithTags + "WHERE c.account_id = @account_id AND c.user_id = ANY(@user_ids) ORDER BY c.id FOR UPDATE OF c";

    public async Task<CustomerRecord?> FindAsync(long accountId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, accountId, id, SelectById, cancellationToken);
    }

    public async Task<CustomerPage> SearchAsync(long accountId, CustomerSearch search, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        // REPEATABLE READ: the page and the total come from the same snapshot.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // One core per search: PostgreSQL otherwise hashes two tags' links, say, in three processes, which under
        // concurrent searches only multiplies their CPU (a million customers, 32 clients on 2 cores, two tags:
        // 14 searches/s with parallel workers, 45 without). SET LOCAL ends with the transaction.
        await using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction))
        {
            await serial.ExecuteNonQueryAsync(cancellationToken);
        }

        var customers = new List<CustomerRecord>();
        await using (var command = new NpgsqlCommand { Connection = connection })
        {
            command.CommandText = PostgresSearchSql.Page(command, accountId, search, PostgresCustomerColumns.Table.SelectList("c"));
            command.Parameters.AddWithValue("limit", search.Page.Limit);
            command.Parameters.AddWithValue("offset", search.Page.Offset);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                customers.Add(PostgresCustomerColumns.Table.Read(reader));
            }
        }
        await LoadTagsAsync(connection, customers, cancellationToken);
        if (SearchSql.TotalFromPage(search.Page, customers.Count) is not { } total)
        {
            await using var count = new NpgsqlCommand { Connection = connection };
            count.CommandText = PostgresSearchSql.Count(count, accountId, search);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        await transaction.CommitAsync(cancellationToken);
        return new CustomerPage(customers, total);
    }

    public Task<WriteOutcome> CreateAsync(long accountId, CustomerEdit edit, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var outcome = await SaveAsync(connection, accountId, new CustomerRecord(), edit, isNew: true, "", cancellationToken);
            return (outcome, outcome.Succeeded);
        }, cancellationToken);

    public Task<WriteOutcome> UpdateAsync(long accountId, long id, CustomerEdit edit, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var outcome = await LoadAsync(connection, accountId, id, SelectForUpdate, cancellationToken) is { } current
                ? await SaveAsync(connection, accountId, current, edit, isNew: false, "", cancellationToken)
                : WriteOutcome.NotFound;
            return (outcome, outcome.Succeeded);
        }, cancellationToken);

    public async Task<IReadOnlyList<CustomerRecord>> ReadPageAsync(long accountId, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var customers = new List<CustomerRecord>(limit);
        await using var command = new NpgsqlCommand(SelectWithTags + "WHERE c.account_id = @account_id AND c.id > @after ORDER BY c.id LIMIT @limit", connection);
        command.Parameters.AddWithValue("account_id", accountId);
        command.Parameters.AddWithValue("after", afterId);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            customers.Add(ReadWithTags(reader));
        }
        return customers;
    }

    public Task<bool> DeleteAsync(long accountId, long id, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // Tag links and events go with it (ON DELETE CASCADE); the account's tags stay.
            await using var command = new NpgsqlCommand("DELETE FROM customers WHERE id = @id AND account_id = @account_id", connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("account_id", accountId);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
            return (deleted, deleted);
        }, cancellationToken);

    private static async Task<CustomerRecord?> LoadAsync(NpgsqlConnection connection, long accountId, long id, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("account_id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWithTags(reader) : null;
    }

    /// <summary>A row of <see cref="SelectWithTags"/>: the customer's columns, then its tag names and colours (null when it has none).</summary>
    private static CustomerRecord ReadWithTags(NpgsqlDataReader reader)
    {
        var record = PostgresCustomerColumns.Table.Read(reader);
        var names = reader.FieldCount - 2;
        if (!reader.IsDBNull(names))
        {
            var colors = reader.GetFieldValue<string[]>(names + 1);
            record.Tags.AddRange(reader.GetFieldValue<string[]>(names).Select((name, i) => new TagRecord(name, colors[i])));
        }
        return record;
    }

    private static async Task LoadTagsAsync(NpgsqlConnection connection, List<CustomerRecord> customers, CancellationToken cancellationToken)
    {
        if (customers.Count == 0)
        {
            return;
        }
        var byId = customers.ToDictionary(c => c.Id);
        await using var command = new NpgsqlCommand(
            "SELECT ct.customer_id, t.name, t.color FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id " +
            "WHERE ct.customer_id = ANY(@ids) ORDER BY ct.customer_id, ct.position", connection);
        command.Parameters.AddWithValue("ids", byId.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byId[reader.GetInt64(0)].Tags.Add(new TagRecord(reader.GetString(1), reader.GetString(2)));
        }
    }

    private static async Task<WriteOutcome> SaveAsync(
        NpgsqlConnection connection, long accountId, CustomerRecord current, CustomerEdit edit, bool isNew, string codePrefix, CancellationToken cancellationToken)
    {
        var tagsBefore = current.Tags.Select(t => t.Name).ToArray();
        var (record, errors) = edit.Apply(current, codePrefix);
        if (record is null)
        {
            return new WriteOutcome(WriteStatus.Invalid, Errors: errors);
        }
        await using (var command = new NpgsqlCommand(isNew ? PostgresCustomerColumns.Table.Insert : PostgresCustomerColumns.Table.Update, connection))
        {
            PostgresCustomerColumns.Table.Bind(command, record);
            command.Parameters.AddWithValue(isNew ? "account_id" : "id", isNew ? accountId : record.Id);
            try
            {
                var id = await command.ExecuteScalarAsync(cancellationToken);
                if (isNew)
                {
                    record.Id = (long)id!;
                }
            }
            catch (PostgresException e) when (IsUserIdTaken(e))
            {
                // The transaction is aborted; the caller rolls it back.
                return WriteOutcome.DuplicateUserId;
            }
        }
        if (isNew ? record.Tags.Count > 0 : !tagsBefore.SequenceEqual(record.Tags.Select(t => t.Name)))
        {
            await PostgresTagLinks.SaveAsync(connection, accountId, record, cancellationToken);
        }
        return new WriteOutcome(WriteStatus.Ok, record) { Created = isNew };
    }

    private static bool IsUserIdTaken(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "ux_customers_user_id";
}
