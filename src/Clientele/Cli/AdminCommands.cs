using System.CommandLine;
using Clientele.Auth;

namespace Clientele.Cli;

/// <summary><c>accounts create|limit</c> and <c>keys create|list|revoke</c>.</summary>
internal static class AdminCommands
{
    public static Command Accounts()
    {
        var name = new Argument<string>("name") { Description = "Account name" };
        var create = new Command("create", "Create an account") { name };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
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
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
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

    public static Command Keys()
    {
        var account = new Option<string>("--account") { Description = "Account the key belongs to", Required = true };
        var label = new Option<string?>("--label") { Description = "A note to recognise the key by" };
        var create = new Command("create", "Create an API key and print it; it is shown only this once") { account, label };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
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
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
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
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken);
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
}
