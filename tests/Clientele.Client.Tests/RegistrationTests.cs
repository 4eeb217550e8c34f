using Clientele.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests;

/// <summary><c>services.AddClienteleClient(...)</c>.</summary>
public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void BaseAddress_DefaultsToHelpCrunchsPublicApi()
    {
        var services = new ServiceCollection();
        services.AddClienteleClient(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ClienteleClient>();

        Assert.Equal(new Uri("https://api.helpcrunch.com/v1/"), client.BaseAddress);
    }

    [Fact]
    public void MissingApiKey_IsRefusedWhenTheClientIsCreated()
    {
        var services = new ServiceCollection();
        services.AddClienteleClient(o => o.BaseAddress = new Uri("http://127.0.0.1:1/v1/"));
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ClienteleClient>());
        Assert.Contains("ApiKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BaseAddress_WithoutATrailingSlash_StillReachesTheRoutesUnderIt()
    {
        await using var h = await ClientHarness.StartAsync();
        var key = await h.App.CreateKeyAsync();
        await using var services = Services.For(new Uri(h.App.Address, "v1"), key, new RequestCounter());
        var client = services.GetRequiredService<ClienteleClient>();

        var created = await client.CreateCustomerAsync(new CustomerInput { Name = "Slash" }, Ct);

        Assert.Equal(new Uri(h.App.Address, "v1/"), client.BaseAddress);
        Assert.Equal("Slash", (await h.Client.GetCustomerAsync(created.Id, Ct)).Name);
    }

    [Fact]
    public void Client_IsTransient_OverTheFactorysHttpClient_AndTheBuilderCanBeExtended()
    {
        var services = new ServiceCollection();
        var builder = services.AddClienteleClient(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        Assert.Equal(typeof(ClienteleClient).FullName, builder.Name);
        Assert.NotSame(provider.GetRequiredService<ClienteleClient>(), provider.GetRequiredService<ClienteleClient>());
    }
}
