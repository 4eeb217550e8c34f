using Clientele.Customers;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// Batch updates. The customers are locked and read in one statement, the edits applied in memory in order, and
/// every item's writes sent together as one pipeline that the server runs in order, so the items still take
/// effect one after the other (a userId another item takes first is refused) in a few round trips in all.
/// </summary>
public sealed partial class PostgresCustomerStore
{
    public Task<BatchOutcome> UpdateManyAsync(long accountId, IReadOnlyList<BatchEdit> edits, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var current = await LoadManyForUpdateAsync(connection, accountId, edits, cancellationToken);
            var applied = new List<(CustomerRecord Record, bool TagsChanged)>(edits.Count);
            WriteOutcome? refused = null;
            for (var i = 0; i < edits.Count && refused is null; i++)
            {
                if (!current.TryGetValue(edits[i].CustomerId, out var before))
                {
                    refused = WriteOutcome.NotFound;
                    continue;
                }
                // A copy: an edit applies in place, and each item's answer is the customer as that item left it.
                var (record, errors) = edits[i].Edit.Apply(before.Copy(), $"[{i}].");
                if (record is null)
                {
                    refused = new WriteOutcome(WriteStatus.Invalid, Errors: errors);
                    continue;
                }
                applied.Add((record, !before.Tags.Select(t => t.Name).SequenceEqual(record.Tags.Select(t => t.Name))));
                current[record.Id] = record;
            }

            // The items before a refused one are still written, in order: one of them may fail first, and that is the answer.
            var tags = await PostgresTagLinks.ResolveAsync(connection, accountId, applied.Where(a => a.TagsChanged).SelectMany(a => a.Record.Tags), cancellationToken);
            await using var writes = new NpgsqlBatch(connection);
            foreach (var (record, tagsChanged) in applied)
            {
                var update = new NpgsqlBatchCommand(PostgresCustomerColumns.Table.Update);
                PostgresCustomerColumns.Table.Bind(update, record);
                update.Parameters.AddWithValue("id", record.Id);
                writes.BatchCommands.Add(update);
                if (tagsChanged)
                {
                    writes.BatchCommands.Add(PostgresTagLinks.Relink(record.Id, [.. record.Tags.Select(t => tags[t.Name].Id)]));
                }
            }
            try
            {
                if (writes.BatchCommands.Count > 0)
                {
                    await writes.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            catch (PostgresException e) when (IsUserIdTaken(e))
            {
                return (new BatchOutcome(WriteOutcome.DuplicateUserId, []), false);
            }
            if (refused is not null)
            {
                return (new BatchOutcome(refused, []), false);
            }
            foreach (var (record, _) in applied.Where(a => a.TagsChanged))
            {
                PostgresTagLinks.GiveAccountColours(record, name => tags[name].Color);
            }
            return (new BatchOutcome(WriteOutcome.Ok, [.. applied.Select(a => a.Record)]), true);
        }, cancellationToken);

    private static async Task<Dictionary<long, CustomerRecord>> LoadManyForUpdateAsync(
        NpgsqlConnection connection, long accountId, IReadOnlyList<BatchEdit> edits, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectManyForUpdate, connection);
        command.Parameters.AddWithValue("ids", edits.Select(e => e.CustomerId).Distinct().ToArray());
        command.Parameters.AddWithValue("account_id", accountId);
        var loaded = new Dictionary<long, CustomerRecord>(edits.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = ReadWithTags(reader);
            loaded[record.Id] = record;
        }
        return loaded;
    }
}
