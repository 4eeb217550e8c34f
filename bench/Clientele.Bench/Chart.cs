using System.Globalization;
using System.Text;

namespace Clientele.Bench;

/// <summary>A bar chart of each scenario's throughput as a ratio to the baseline's, per provider, drawn by gnuplot.</summary>
internal static class Chart
{
    /// <summary>Draws the chart; returns why not when it cannot (no gnuplot, no baseline).</summary>
    public static async Task<string?> DrawAsync(BenchRun run, string png, string work, CancellationToken cancellationToken)
    {
        if (run.Baseline.Result is not { } baseline)
        {
            return "the baseline run failed";
        }
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "gnuplot"))))
        {
            return "gnuplot is not installed (bench/run.sh installs Debian's gnuplot-nox)";
        }
        var providers = run.Providers.Where(p => p.Scenarios.Count > 0).ToList();
        if (providers.Count == 0)
        {
            return "no provider ran";
        }

        var data = new StringBuilder();
        // Only what was run: a run of a few scenarios (--scenarios) draws no empty slots for the others.
        foreach (var key in Report.Order.Where(key => providers.Any(p => p[key] is not null)))
        {
            var label = providers.Select(p => p[key]).FirstOrDefault(s => s is not null)?.Scenario.Title.Replace("`", "", StringComparison.Ordinal) ?? key;
            data.Append('"').Append(label).Append('"');
            foreach (var provider in providers)
            {
                var rate = provider[key]?.Result?.PerSecond;
                data.Append('\t').Append(rate is { } r ? (r / baseline.PerSecond).ToString("G4", CultureInfo.InvariantCulture) : "?");
            }
            data.Append('\n');
        }
        var dataPath = Path.Combine(work, "chart.tsv");
        await File.WriteAllTextAsync(dataPath, data.ToString(), cancellationToken);

        // Clustered bars: with n providers each bar is 1/(n+1) wide, bar k centred at x + (k − (n−1)/2)/(n+1).
        var n = providers.Count;
        var plots = new List<string>();
        for (var k = 0; k < n; k++)
        {
            var column = k + 2;
            plots.Add(k == 0 ? $"'{dataPath}' using {column}:xtic(1) title '{providers[k].Title}'" : $"'' using {column} title '{providers[k].Title}'");
        }
        for (var k = 0; k < n; k++)
        {
            var offset = ((k - (n - 1) / 2.0) / (n + 1)).ToString("F3", CultureInfo.InvariantCulture);
            plots.Add($"'' using ($0{(offset.StartsWith('-') ? "" : "+")}{offset}):{k + 2}:(sprintf('%.3f', ${k + 2})) with labels offset 0,0.6 font ',7' notitle");
        }
        plots.Add("1 with lines dashtype 2 linecolor rgb '#555555' title 'baseline'");
        var title = $"Clientele throughput ÷ baseline (PATCH echo, {baseline.PerSecond:N0} req/s); " +
                    $"{run.Options.Customers:N0} customers, {run.Options.Connections} connections, {run.Started:yyyy-MM-dd}";
        var script = $"""
            set terminal pngcairo size 1100,560 font 'sans,10' noenhanced
            set output '{png}'
            set title "{title}"
            set datafile separator '\t'
            set datafile missing '?'
            set style data histograms
            set style histogram clustered gap 1
            set style fill solid 0.85 border -1
            set logscale y
            set yrange [0.0001:2]
            set ylabel 'requests/s ÷ baseline requests/s (log scale)'
            set xtics rotate by -25 nomirror
            set grid ytics
            set key below horizontal
            plot {string.Join(", ", plots)}
            """;
        var scriptPath = Path.Combine(work, "chart.gp");
        await File.WriteAllTextAsync(scriptPath, script, cancellationToken);
        var log = Path.Combine(work, "gnuplot.log");
        await using var gnuplot = Child.Start("gnuplot", [scriptPath], new Dictionary<string, string>(), work, log);
        return await gnuplot.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken) == 0
            ? null
            : "gnuplot failed: " + await File.ReadAllTextAsync(log, cancellationToken);
    }
}
