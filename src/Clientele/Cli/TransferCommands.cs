using System.CommandLine;
using System.Diagnostics;
using Clientele.Errors;
using Clientele.Transfer;
using Spectre.Console;

namespace Clientele.Cli;

/// <summary><c>import FILE</c> and <c>export</c>: streamed, on either storage provider.</summary>
internal static class TransferCommands
{
    public static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON (one customer object per line) or CSV (header row of field names)" };
        var account = new Option<string>("--account") { Description = "Account to import into", Required = true };
        var format = new Option<TransferFormat?>("--format") { Description = "ndjson or csv (default: from the file extension)" };
        var upsertBy = new Option<string?>("--upsert-by") { Description = "userId: update the customer with the same userId instead of creating one" };
        upsertBy.AcceptOnlyFromAmong("userId");
        var command = new Command("import", "Import customers from a file; invalid lines are reported and skipped, valid lines go in") { file, account, format, upsertBy };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"No such file: {path.FullName}");
                return 1;
            }
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
            var accountName = parse.GetRequiredValue(account);
            if (await storage.Accounts.FindAccountAsync(accountName, cancellationToken) is not { } accountId)
            {
                await Console.Error.WriteLineAsync($"No account named '{accountName}'. Create it with: accounts create {accountName}");
                return 1;
            }
            var kind = parse.GetValue(format) ?? (path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? TransferFormat.Csv : TransferFormat.Ndjson);
            await using var stream = path.OpenRead();
            var lines = kind == TransferFormat.Csv ? ImportSources.ReadCsvAsync(stream, cancellationToken) : ImportSources.ReadNdjsonAsync(stream, cancellationToken);
            var importer = new CustomerImporter(storage.Customers);
            var upsert = parse.GetValue(upsertBy) is not null;

            var clock = Stopwatch.StartNew();
            var invalid = new List<string>();
            void Report(long line, ErrorEnvelope errors) =>
                invalid.Add($"line {line}: " + string.Join("; ", errors.Errors.Select(e => $"{e.Code}: {e.Message}")));

            ImportSummary summary;
            if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
            {
                summary = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("Importing", maxValue: Math.Max(1, stream.Length));
                        var result = await importer.ImportAsync(accountId, lines, upsert, Report, seen =>
                        {
                            task.Value = stream.Position;
                            task.Description = $"{seen:N0} lines, {seen / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s";
                        }, cancellationToken);
                        task.Value = task.MaxValue;
                        return result;
                    });
                // Printed after the live display, which would otherwise be torn by them.
                invalid.ForEach(line => Console.Error.WriteLine(line));
            }
            else
            {
                var lastReport = TimeSpan.Zero;
                summary = await importer.ImportAsync(accountId, lines, upsert, (line, errors) =>
                {
                    Report(line, errors);
                    Console.Error.WriteLine(invalid[^1]);
                }, seen =>
                {
                    if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                    {
                        lastReport = clock.Elapsed;
                        Console.WriteLine($"{seen:N0} lines ({100.0 * stream.Position / Math.Max(1, stream.Length):F0}%)");
                    }
                }, cancellationToken);
            }

            var total = summary.Created + summary.Updated;
            if (total > 0)
            {
                await storage.Database.RefreshStatisticsAsync(cancellationToken);
            }
            Console.WriteLine($"Imported {total:N0} customers ({summary.Created:N0} created, {summary.Updated:N0} updated, {summary.Invalid:N0} invalid lines) " +
                              $"in {clock.Elapsed.TotalSeconds:F1} s ({total / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s).");
            return summary.Invalid > 0 ? 2 : 0;
        });
        return command;
    }

    public static Command Export()
    {
        var account = new Option<string>("--account") { Description = "Account to export", Required = true };
        var format = new Option<TransferFormat>("--format") { Description = "ndjson (default) or csv", DefaultValueFactory = _ => TransferFormat.Ndjson };
        var output = new Option<FileInfo?>("--out") { Description = "File to write (default: standard output)" };
        var command = new Command("export", "Write an account's customers as NDJSON or CSV, in id order, in constant memory") { account, format, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
            var accountName = parse.GetRequiredValue(account);
            if (await storage.Accounts.FindAccountAsync(accountName, cancellationToken) is not { } accountId)
            {
                await Console.Error.WriteLineAsync($"No account named '{accountName}'.");
                return 1;
            }
            var target = parse.GetValue(output);
            await using var stream = target is null ? Console.OpenStandardOutput() : target.Create();
            var written = await new CustomerExporter(storage.Customers).ExportAsync(accountId, parse.GetValue(format), stream, cancellationToken);
            if (target is not null)
            {
                Console.WriteLine($"Exported {written:N0} customers to {target.FullName}.");
            }
            return 0;
        });
        return command;
    }
}
