using System.Text;

namespace Clientele.Bench;

/// <summary>The issue's targets (SQLite, 32 connections, this machine), checked against a run; PostgreSQL's figures beside.</summary>
internal static class Targets
{
    private const int Million = 1_000_000;

    /// <param name="AtMillion">The target is stated for one million customers.</param>
    private sealed record Target(string Name, bool AtMillion, Func<BenchRun, ProviderRun, (string Value, bool Met)?> Measure);

    private static readonly Target[] All =
    [
        new("durable PATCH ≥ 0.5 × baseline", false, (run, p) => Ratio(run, p, "patch", 0.5)),
        new("GET by id ≥ 0.7 × baseline", false, (run, p) => Ratio(run, p, "get", 0.7)),
        new("search `email =` p99 < 2 ms", true, (_, p) => P99(p, "search-eq", 2)),
        new("search `email ~` p99 < 50 ms", true, (_, p) => P99(p, "search-contains", 50)),
        new("search two tags p99 < 100 ms", true, (_, p) => P99(p, "search-2tags", 100)),
        new("search `name ~` and `company ~` p99 < 100 ms", true, (_, p) => P99(p, "search-2contains", 100)),
        new("search a tag and `email ~` p99 < 100 ms", true, (_, p) => P99(p, "search-tag-contains", 100)),
        new("neighbour's GET p99 beside heavy searches ≤ 3 × quiet", false, (_, p) =>
            p.Neighbour is { } n ? ($"{n.Noisy.P99Ms:F2} vs {n.Quiet.P99Ms:F2} ms = {n.P99Ratio:F2} ×", n.P99Ratio <= 3) : null),
        new("batch of 10 ≥ 5 × single PATCH, per customer", false, (_, p) =>
            p["batch"]?.Result is { } batch && p["patch"]?.Result is { } patch
                ? ($"{batch.PerSecond * 10:N0} vs {patch.PerSecond:N0} customers/s = {batch.PerSecond * 10 / patch.PerSecond:F2} ×", batch.PerSecond * 10 >= 5 * patch.PerSecond)
                : null),
        new("import ≥ 50,000 customers/s", false, (_, p) =>
            p.Import is { } import ? ($"{import.PerSecond:N0} customers/s", import.PerSecond >= 50_000) : null),
        new("server RSS < 200 MB", true, (_, p) =>
            p.PeakRssMB > 0 ? ($"peak {p.PeakRssMB:N0} MB (VmHWM)", p.PeakRssMB < 200) : null),
    ];

    public static void Write(StringBuilder md, BenchRun run)
    {
        var sqlite = run.Providers.FirstOrDefault(p => p.Provider == "sqlite");
        var postgres = run.Providers.FirstOrDefault(p => p.Provider == "postgres");
        var customers = run.Options.Customers;
        md.Line("## Targets");
        md.Line();
        md.Line($"The targets are for SQLite with {run.Options.Connections} connections on this machine; PostgreSQL's figures are beside them for comparison. " +
                $"This run has **{customers:N0} customers**" +
                (customers < Million ? "; targets marked ¹ are stated for one million customers, so their verdict here is provisional (see the one-million run)." : "."));
        md.Line();
        md.Line("| target | SQLite | verdict | PostgreSQL | verdict |");
        md.Line("|---|---|---|---|---|");
        foreach (var target in All)
        {
            var name = target.AtMillion && customers < Million ? target.Name + " ¹" : target.Name;
            md.Line($"| {name} | {Cell(run, sqlite, target)} | {Cell(run, postgres, target)} |");
        }
        md.Line();
    }

    /// <summary>Two cells: the figure, and the verdict.</summary>
    private static string Cell(BenchRun run, ProviderRun? provider, Target target)
    {
        if (provider is null)
        {
            return "not run | ";
        }
        if (target.Measure(run, provider) is not { } measured)
        {
            return "not measured | ";
        }
        return $"{measured.Value} | {(measured.Met ? "met" : "**not met**")}";
    }

    private static (string, bool)? Ratio(BenchRun run, ProviderRun provider, string key, double target) =>
        provider[key]?.Result is { } result && run.Baseline.Result is { } baseline
            ? ($"{result.PerSecond / baseline.PerSecond:F3} × ({result.PerSecond:N0} vs {baseline.PerSecond:N0} req/s)", result.PerSecond >= target * baseline.PerSecond)
            : null;

    private static (string, bool)? P99(ProviderRun provider, string key, double milliseconds) =>
        provider[key]?.Result is { } result ? ($"p99 {result.P99Ms:F2} ms", result.P99Ms < milliseconds) : null;
}
