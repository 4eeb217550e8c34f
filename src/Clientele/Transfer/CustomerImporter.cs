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
        // One batch is written while the next is read and validated, so parsing and the writer overlap.
        var writing = Task.CompletedTask;

        // Invalid lines travel in the batch too, so every line is reported in file order.
        async Task WriteAsync(List<ImportLine> lines, long seenSoFar)
        {
            var valid = lines.Where(l => l.Edit is not null).ToList();
            var outcomes = valid.Count > 0
                ? await store.ImportAsync(accountId, [.. valid.Select(l => l.Edit!)], upsertByUserId, cancellationToken)
                : [];
            var next = 0;
            foreach (var line in lines)
            {
                var outcome = line.Edit is null ? null : outcomes[next++];
                if (outcome is { Succeeded: true })
                {
                    _ = outcome.Created ? created++ : updated++;
                }
                else
                {
                    rejected++;
                    invalid(line.LineNumber, outcome is null ? line.Error! : outcome.Status == WriteStatus.DuplicateUserId ? ErrorCodes.UserIdTaken : outcome.Errors!);
                }
            }
            progress(seenSoFar);
        }

        async Task FlushAsync()
        {
            await writing;
            writing = WriteAsync(batch, seen);
            batch = new List<ImportLine>(BatchSize);
        }

        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            seen++;
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
        await writing;
        progress(seen);
        return new ImportSummary(created, updated, rejected);
    }
}
