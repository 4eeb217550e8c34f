using System.Buffers;
using System.Text;
using System.Text.Json;
using Clientele.Customers;
using Npgsql;
using NpgsqlTypes;

namespace Clientele.Storage.Postgres;

/// <summary>
/// Bulk import. The edits of a batch are applied in memory in input order, one by one, as the contract asks (an
/// item refused leaves the others alone; a later item with the same userId merges into what an earlier one left),
/// and the batch is then written with a handful of statements in all: new customers, merged ones, tags, links.
/// Item by item, that was six round trips or more per customer.
/// </summary>
public sealed partial class PostgresCustomerStore
{
    /// <summary>The customer columns of a row of <c>json_populate_recordset(NULL::customers, …)</c> named <c>r</c>.</summary>
    private static readonly string[] FromJson =
    [
        .. PostgresCustomerColumns.Table.Written.Select(c => c.Placeholder is null
            ? $"r.{c.Name}"
            // A cast parameter (customData's jsonb copy) travels as a JSON string: its text is what the cast reads.
            : c.Value.Replace(c.Parameter, $"(r.{c.Name} #>> '{{}}')", StringComparison.Ordinal)),
    ];

    /// <summary>
    /// New customers, each with an id drawn beforehand so that the answer says which item got which. A userId taken
    /// meanwhile by another transaction skips its row (no id comes back for it) instead of failing the batch.
    /// </summary>
    private static readonly string InsertMany =
        "WITH input AS (SELECT nextval(pg_get_serial_sequence('customers', 'id')) AS new_id, r.ordinality AS item, " +
        $"{string.Join(", ", FromJson.Select((e, i) => $"{e} AS v{i}"))} FROM json_populate_recordset(NULL::customers, @rows) WITH ORDINALITY AS r), " +
        $"inserted AS (INSERT INTO customers (id, account_id, {string.Join(", ", PostgresCustomerColumns.Table.Written.Select(c => c.Name))}) " +
        $"OVERRIDING SYSTEM VALUE SELECT new_id, @account_id, {string.Join(", ", FromJson.Select((_, i) => $"v{i}"))} FROM input " +
        "ON CONFLICT (account_id, user_id) WHERE user_id IS NOT NULL DO NOTHING RETURNING id) " +
        "SELECT input.item, input.new_id FROM input JOIN inserted ON inserted.id = input.new_id";

    private static readonly string UpdateMany =
        $"UPDATE customers c SET {string.Join(", ", PostgresCustomerColumns.Table.Written.Select((c, i) => $"{c.Name} = {FromJson[i]}"))} " +
        "FROM json_populate_recordset(NULL::customers, @rows) AS r WHERE c.id = r.id AND c.account_id = @account_id";

    public Task<IReadOnlyList<WriteOutcome>> ImportAsync(long accountId, IReadOnlyList<CustomerEdit> edits, bool upsertByUserId, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<WriteOutcome>>(async connection =>
        {
            var byUserId = new Dictionary<string, ImportedRow>(StringComparer.Ordinal);
            var keys = new string?[edits.Count];
            if (upsertByUserId)
            {
                for (var i = 0; i < edits.Count; i++)
                {
                    keys[i] = edits[i].Apply(new CustomerRecord()).Result?.UserId;
                }
                await LoadExistingAsync(connection, accountId, keys, byUserId, cancellationToken);
            }

            var rows = new List<ImportedRow>(edits.Count);
            var items = new (ImportedRow? Row, CustomerRecord? Version, WriteOutcome? Refused)[edits.Count];
            for (var i = 0; i < edits.Count; i++)
            {
                var row = keys[i] is { } key ? byUserId.GetValueOrDefault(key) : null;
                var (record, errors) = edits[i].Apply(row is null ? new CustomerRecord() : row.Current.Copy());
                if (record is null)
                {
                    items[i] = (null, null, new WriteOutcome(WriteStatus.Invalid, Errors: errors));
                    continue;
                }
                if (row is null)
                {
                    // Without upsert, a userId already in the batch is taken; one already stored is found by the insert.
                    if (record.UserId is { } userId && byUserId.ContainsKey(userId))
                    {
                        items[i] = (null, null, WriteOutcome.DuplicateUserId);
                        continue;
                    }
                    row = new ImportedRow(IsNew: true, TagsBefore: []);
                    if (record.UserId is { } newUserId)
                    {
                        byUserId[newUserId] = row;
                    }
                }
                // Written once, as the last item to touch it left it; a stored row that no item changed is not written.
                if (row.Versions.Count == (row.IsNew ? 0 : 1))
                {
                    rows.Add(row);
                }
                row.Versions.Add(record);
                items[i] = (row, record, null);
            }

            await InsertAsync(connection, accountId, rows.Where(r => r.IsNew).ToList(), cancellationToken);
            await UpdateAsync(connection, accountId, rows.Where(r => !r.IsNew).ToList(), cancellationToken);
            await LinkTagsAsync(connection, accountId, items.Where(item => item.Row is { Written: true }).Select(item => item.Version!), rows, cancellationToken);

            var outcomes = items.Select(item => item switch
            {
                { Refused: { } refused } => refused,
                { Row: { Written: false } } => WriteOutcome.DuplicateUserId,
                _ => new WriteOutcome(WriteStatus.Ok, item.Version) { Created = item.Row!.IsNew && ReferenceEquals(item.Row.Versions[0], item.Version) },
            }).ToList();
            return (outcomes, true);
        }, cancellationToken);

    /// <summary>The stored customers the batch's userIds name, locked, each the start of the items that merge into it.</summary>
    private static async Task LoadExistingAsync(
        NpgsqlConnection connection, long accountId, string?[] keys, Dictionary<string, ImportedRow> byUserId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectByUserIdsForUpdate, connection);
        command.Parameters.AddWithValue("account_id", accountId);
        command.Parameters.AddWithValue("user_ids", keys.OfType<string>().Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var existing = ReadWithTags(reader);
            var row = new ImportedRow(IsNew: false, TagsBefore: [.. existing.Tags.Select(t => t.Name)]) { Written = true };
            row.Versions.Add(existing);
            byUserId[existing.UserId!] = row;
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, long accountId, List<ImportedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(InsertMany, connection);
        command.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Json) { Value = RowsJson(rows, withId: false) });
        command.Parameters.AddWithValue("account_id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = rows[(int)reader.GetInt64(0) - 1];
            row.Written = true;
            foreach (var version in row.Versions)
            {
                version.Id = reader.GetInt64(1);
            }
        }
    }

    private static async Task UpdateAsync(NpgsqlConnection connection, long accountId, List<ImportedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(UpdateMany, connection);
        command.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Json) { Value = RowsJson(rows, withId: true) });
        command.Parameters.AddWithValue("account_id", accountId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Finds or creates every tag the written items name, once for the batch (a new tag takes the colour of the first
    /// item that names it), relinks the customers whose tags changed and gives every item the account's colours.
    /// </summary>
    private static async Task LinkTagsAsync(
        NpgsqlConnection connection, long accountId, IEnumerable<CustomerRecord> versions, List<ImportedRow> rows, CancellationToken cancellationToken)
    {
        var versionList = versions.ToList();
        var tags = await PostgresTagLinks.ResolveAsync(connection, accountId, versionList.SelectMany(v => v.Tags), cancellationToken);
        var relinked = rows.Where(r => r.Written && !r.TagsBefore.SequenceEqual(r.Current.Tags.Select(t => t.Name))).ToList();

        await using var batch = new NpgsqlBatch(connection);
        var stale = relinked.Where(r => !r.IsNew).Select(r => r.Current.Id).ToArray();
        if (stale.Length > 0)
        {
            var clear = new NpgsqlBatchCommand("DELETE FROM customer_tags WHERE customer_id = ANY(@ids)");
            clear.Parameters.AddWithValue("ids", stale);
            batch.BatchCommands.Add(clear);
        }
        var links = relinked.SelectMany(r => r.Current.Tags.Select((t, position) => (Customer: r.Current.Id, Tag: tags[t.Name].Id, Position: position))).ToList();
        if (links.Count > 0)
        {
            var link = new NpgsqlBatchCommand(
                "INSERT INTO customer_tags (customer_id, tag_id, position) SELECT * FROM unnest(@customers, @tags, @positions)");
            link.Parameters.AddWithValue("customers", links.Select(l => l.Customer).ToArray());
            link.Parameters.AddWithValue("tags", links.Select(l => l.Tag).ToArray());
            link.Parameters.AddWithValue("positions", links.Select(l => l.Position).ToArray());
            batch.BatchCommands.Add(link);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var version in versionList)
        {
            PostgresTagLinks.GiveAccountColours(version, name => tags[name].Color);
        }
    }

    /// <summary>The rows' customers as a JSON array of objects keyed by column, for <c>json_populate_recordset</c>.</summary>
    private static string RowsJson(List<ImportedRow> rows, bool withId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in rows.Select(r => r.Current))
            {
                json.WriteStartObject();
                if (withId)
                {
                    json.WriteNumber("id", record.Id);
                }
                foreach (var column in PostgresCustomerColumns.Table.Written)
                {
                    switch (column.Get(record))
                    {
                        case null:
                            break;
                        case string text:
                            json.WriteString(column.Name, text);
                            break;
                        case long number:
                            json.WriteNumber(column.Name, number);
                            break;
                        case bool flag:
                            json.WriteBoolean(column.Name, flag);
                            break;
                        case var other:
                            throw new InvalidOperationException($"Column {column.Name} holds a {other.GetType()}, which the import does not write.");
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One customer of a batch: stored or new, and its state after each item that touched it.</summary>
    private sealed record ImportedRow(bool IsNew, string[] TagsBefore)
    {
        public List<CustomerRecord> Versions { get; } = [];

        public CustomerRecord Current => Versions[^1];

        /// <summary>Stored before the batch, or inserted by it (false for a new row whose userId another transaction took).</summary>
        public bool Written { get; set; }
    }
}
