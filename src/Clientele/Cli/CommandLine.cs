using System.CommandLine;

namespace Clientele.Cli;

/// <summary>
/// The verbs of the one executable: <c>serve</c> and <c>migrate</c> here; account and key administration
/// (<see cref="AdminCommands"/>) and import/export (<see cref="TransferCommands"/>) work on the same database
/// (<c>--db</c>, or <c>ConnectionStrings__Clientele</c>).
/// </summary>
public static class CommandLine
{
    internal static readonly Option<string?> Db = new("--db")
    {
        Description = "SQLite database file (default ./data/clientele.db); overrides ConnectionStrings__Clientele (PostgreSQL: set Storage__Provider=postgres and ConnectionStrings__Clientele instead)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Clientele: a self-hosted customer-profile service speaking the HelpCrunch v1 Customers API");
        root.Options.Add(Db);
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(AdminCommands.Accounts());
        root.Subcommands.Add(AdminCommands.Keys());
        root.Subcommands.Add(TransferCommands.Import());
        root.Subcommands.Add(TransferCommands.Export());
        root.Subcommands.Add(Migrate());
        return root;
    }

    private static Command Serve()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080)" };
        var command = new Command("serve", "Run the HTTP API server") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliStorage.Settings(parse);
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
            var settings = CliStorage.Settings(parse);
            settings["Storage:MigrateOnStart"] = "true";
            await using var storage = await CliStorage.OpenAsync(parse, cancellationToken, settings);
            Console.WriteLine("The database schema is up to date.");
            return 0;
        });
        return command;
    }

}
