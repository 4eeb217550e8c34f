using System.CommandLine;
using Clientele.Storage;

namespace Clientele.Cli;

/// <summary>Opens the configured database for a CLI verb, as the server would (appsettings, environment, <c>--db</c>).</summary>
internal static class CliStorage
{
    public static Dictionary<string, string?> Settings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>();
        if (parse.GetValue(CommandLine.Db) is { } path)
        {
            settings[$"ConnectionStrings:{StorageServiceCollectionExtensions.ConnectionStringName}"] = $"Data Source={path}";
        }
        return settings;
    }

    public static async Task<StorageScope> OpenAsync(ParseResult parse, CancellationToken cancellationToken, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings ?? Settings(parse))
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning))
            .AddStorage(configuration)
            .BuildServiceProvider();
        await services.PrepareStorageAsync(configuration, cancellationToken);
        return new StorageScope(services);
    }

    /// <summary>The stores a CLI verb needs, disposed (writer flushed, file closed) when the verb ends.</summary>
    public sealed class StorageScope(ServiceProvider services) : IAsyncDisposable
    {
        public IAccountStore Accounts { get; } = services.GetRequiredService<IAccountStore>();

        public ICustomerStore Customers { get; } = services.GetRequiredService<ICustomerStore>();

        public IDatabase Database { get; } = services.GetRequiredService<IDatabase>();

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
