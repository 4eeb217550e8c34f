using System.CommandLine;
using Clientele.Auth;
using Clientele.Storage;

namespace Clientele.Cli;

/// <summary>
/// The verbs of the one executable: <c>serve</c>, and the account and key administration that works on the
/// same database (<c>--db</c>, or <c>ConnectionStrings__Clientele</c>).
/// </summary>
public static class CommandLine
{
    private static readonly Option<string?> Db = new("--db")
    {
        Description = "SQLite database file (default ./data/clientele.db); overrides ConnectionStrings__Clientele (PostgreSQL: set Storage__Provider=postgres and ConnectionStrings__Clientele instead)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Clientele: a self-hosted customer-profile service speaking the HelpCrunch v1 Customers API");
        root.Options.Add(Db);
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Accounts());
        root.Subcommands.Add(Keys());
        root.Subcommands.Add(Migrate());
        return root;
    }

    private static Command Serve()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080)" };
        var command = new Command("serve", "Run the HTTP API server") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Settings(parse);
            if (parse.GetValue(urls) is { } value)
            {
                settings["Urls"] = value;
            }
            await using var app = ClienteleServer.Build(settings);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Applies pending migrations even when the configuration says not to at start-up.</summary>
    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply pending schema migrations to the configured database and exit");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Settings(parse);
            settings["Storage:MigrateOnStart"] = "true";
            await using var storage = await OpenStorageAsync(parse, cancellationToken, settings);
            Console.WriteLine("The database schema is up to date.");
            return 0;
        });
        return command;
    }

    private static Command Accounts()
    {
        var name = new Argument<string>("name") { Description = "Account name" };
        var create = new Command("create", "Create an account") { name };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await OpenStorageAsync(parse, cancellationToken);
            var accountName = parse.GetRequiredValue(name);
            if (await storage.Accounts.CreateAccountAsync(accountName, cancellationToken) is null)
            {
                await Console.Error.WriteLineAsync($"Account '{accountName}' already exists.");
                return 1;
            }
            Console.WriteLine($"Created account '{accountName}'.");
            return 0;
        });
        var limited = new Argument<string>("name") { Description = "Account name" };
        var perMinute = new Option<int?>("--per-minute") { Description = "Requests per minute for this account" };
        var byDefault = new Option<bool>("--default") { Description = "Use the configured default (RateLimiting__PermitsPerMinute) again" };
        var limit = new Command("limit", "Set an account's request limit; takes effect on its next request, on every node") { limited, perMinute, byDefault };
        limit.Validators.Add(result =>
        {
            if (result.GetValue(perMinute) is null == !result.GetValue(byDefault))
            {
                result.AddError("Give either --per-minute N or --default.");
            }
            else if (result.GetValue(perMinute) is < 1)
            {
                result.AddError("--per-minute must be at least 1.");
            }
        });
        limit.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await OpenStorageAsync(parse, cancellationToken);
            var accountName = parse.GetRequiredValue(limited);
            var value = parse.GetValue(perMinute);
            if (!await storage.Accounts.SetRateLimitAsync(accountName, value, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"No account named '{accountName}'.");
                return 1;
            }
            Console.WriteLine(value is { } n ? $"Account '{accountName}' may make {n} requests per minute." : $"Account '{accountName}' uses the default limit.");
            return 0;
        });
        return new Command("accounts", "Manage accounts (tenants)") { create, limit };
    }

    private static Command Keys()
    {
        var account = new Option<string>("--account") { Description = "Account the key belongs to", Required = true };
        var label = new Option<string?>("--label") { Description = "A note to recognise the key by" };
        var create = new Command("create", "Create an API key and print it; it is shown only this once") { account, label };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await OpenStorageAsync(parse, cancellationToken);
            var accountName = parse.GetRequiredValue(account);
            if (await storage.Accounts.FindAccountAsync(accountName, cancellationToken) is not { } accountId)
            {
                await Console.Error.WriteLineAsync($"No account named '{accountName}'. Create it with: accounts create {accountName}");
                return 1;
            }
            var key = ApiKeys.Generate();
            await storage.Accounts.CreateKeyAsync(accountId, parse.GetValue(label), ApiKeys.Hash(key), cancellationToken);
            Console.WriteLine(key);
            return 0;
        });

        var list = new Command("list", "List API keys (never their secrets)");
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await OpenStorageAsync(parse, cancellationToken);
            Console.WriteLine("ID\tACCOUNT\tLABEL\tCREATED\tSTATUS");
            foreach (var key in await storage.Accounts.ListKeysAsync(cancellationToken))
            {
                var status = key.RevokedAt is { } at ? $"revoked {at:yyyy-MM-dd HH:mm:ss}Z" : "live";
                Console.WriteLine($"{key.Id}\t{key.Account}\t{key.Label ?? "-"}\t{key.CreatedAt:yyyy-MM-dd HH:mm:ss}Z\t{status}");
            }
            return 0;
        });

        var id = new Argument<long>("id") { Description = "Key id, as keys list shows it" };
        var revoke = new Command("revoke", "Revoke an API key; it stops working at once") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await OpenStorageAsync(parse, cancellationToken);
            var keyId = parse.GetValue(id);
            if (!await storage.Accounts.RevokeKeyAsync(keyId, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"No live key with id {keyId}.");
                return 1;
            }
            Console.WriteLine($"Revoked key {keyId}.");
            return 0;
        });
        return new Command("keys", "Manage API keys") { create, list, revoke };
    }

    private static Dictionary<string, string?> Settings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>();
        if (parse.GetValue(Db) is { } path)
        {
            settings[$"ConnectionStrings:{StorageServiceCollectionExtensions.ConnectionStringName}"] = $"Data Source={path}";
        }
        return settings;
    }

    private static async Task<StorageScope> OpenStorageAsync(ParseResult parse, CancellationToken cancellationToken, Dictionary<string, string?>? settings = null)
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
    private sealed class StorageScope(ServiceProvider services) : IAsyncDisposable
    {
        public IAccountStore Accounts { get; } = services.GetRequiredService<IAccountStore>();

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
