using Clientele.Errors;
using Clientele.Storage;

namespace Clientele.Transfer;

/// <summary>What an import did.</summary>
public sealed record ImportSummary(long Created, long Updated, long Invalid);

/// <summary>
/// Feeds import lines to the store in batches (one transaction each), so a large file goes in quickly and in
/// constant memory. Invalid lines are reported and skipped; the valid ones go in.
/// </summary>
public sealed class CustomerImporter(ICustomerStore store)
{
    public const int BatchSize = 1000;

    /// <param name="invalid">Called with the line number and the reasons of every line that was not imported.</param>
    /// <param name="progress">Called after every batch with the lines handled so far.</param>
    public async Task<ImportSummary> ImportAsync(
        long accountId, IAsyncEnumerable<ImportLine> lines, bool upsertByUserId,
        Action<long, ErrorEnvelope> invalid, Action<long> progress, CancellationToken cancellationToken)
    {
        long created = 0, updated = 0, rejected = 0, seen = 0;
        var batch = new List<ImportLine>(BatchSize);

        async Task FlushAsync()
        {
            var outcomes = await store.ImportAsync(accountId, [.. batch.Select(l => l.Edit!)], upsertByUserId, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var outcome = outcomes[i];
                if (outcome.Succeeded)
                {
                    _ = outcome.Created ? created++ : updated++;
                }
                else
                {
                    rejected++;
                    invalid(batch[i].LineNumber, outcome.Status == WriteStatus.DuplicateUserId ? ErrorCodes.UserIdTaken : outcome.Errors!);
                }
            }
            batch.Clear();
            progress(seen);
        }

        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            seen++;
            if (line.Edit is null)
            {
                rejected++;
                invalid(line.LineNumber, line.Error!);
                continue;
            }
            batch.Add(line);
            if (batch.Count == BatchSize)
            {
                await FlushAsync();
            }
        }
        if (batch.Count > 0)
        {
            await FlushAsync();
        }
        progress(seen);
        return new ImportSummary(created, updated, rejected);
    }
}
