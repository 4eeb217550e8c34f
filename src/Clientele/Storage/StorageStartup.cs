using Clientele.Auth;

namespace Clientele.Storage;

/// <summary>
/// Opens (and migrates) the database before the server takes requests, and honours
/// <c>CLIENTELE_BOOTSTRAP_KEY</c>: account <c>default</c> exists and that key is live for it.
/// </summary>
public sealed partial class StorageStartup(IServiceProvider services, IConfiguration configuration, ILogger<StorageStartup> logger) : IHostedService
{
    public const string BootstrapKeyVariable = "CLIENTELE_BOOTSTRAP_KEY";
    public const string BootstrapAccount = "default";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.PrepareStorageAsync(configuration, cancellationToken);
        if (configuration[BootstrapKeyVariable] is { Length: > 0 } key)
        {
            await services.GetRequiredService<IAccountStore>().EnsureKeyAsync(BootstrapAccount, ApiKeys.Hash(key), "bootstrap", cancellationToken);
            BootstrapKeyLive(logger, BootstrapAccount);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap key is live for account {Account}")]
    private static partial void BootstrapKeyLive(ILogger logger, string account);
}
