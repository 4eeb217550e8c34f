using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests.Infrastructure;

/// <summary>
/// A real Clientele server (fresh database of the provider under test) and a <see cref="ClienteleClient"/> for a new
/// key of it, registered the way an application does, through <c>AddClienteleClient</c>.
/// </summary>
public sealed class ClientHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ClientHarness(ClienteleApp app, ServiceProvider services, RequestCounter counter)
    {
        App = app;
        _services = services;
        Requests = counter;
        Client = services.GetRequiredService<ClienteleClient>();
    }

    public ClienteleApp App { get; }

    public ClienteleClient Client { get; }

    /// <summary>Every HTTP attempt the client made (retries included).</summary>
    public RequestCounter Requests { get; }

    public Uri ApiAddress => new(App.Address, "v1/");

    public static async Task<ClientHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<ClienteleClientOptions>? configure = null)
    {
        var app = await ClienteleApp.StartAsync(settings: settings);
        var key = await app.CreateKeyAsync();
        var counter = new RequestCounter();
        var services = Services.For(new Uri(app.Address, "v1/"), key, counter, configure);
        return new ClientHarness(app, services, counter);
    }

    /// <summary>A second client of the same server, e.g. with another key.</summary>
    public ServiceProvider ClientFor(string key, Action<ClienteleClientOptions>? configure = null) => Services.For(ApiAddress, key, new RequestCounter(), configure);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await App.DisposeAsync();
    }
}

public static class Services
{
    /// <summary>A service provider with <c>AddClienteleClient</c> pointing at <paramref name="address"/>, counting each attempt.</summary>
    public static ServiceProvider For(Uri address, string key, RequestCounter counter, Action<ClienteleClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddClienteleClient(o =>
            {
                o.BaseAddress = address;
                o.ApiKey = key;
                configure?.Invoke(o);
            })
            .AddHttpMessageHandler(() => new CountingHandler(counter));
        return services.BuildServiceProvider();
    }
}

/// <summary>Counts the requests that leave the resilience handler, i.e. every attempt.</summary>
public sealed class RequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}

internal sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Increment();
        return base.SendAsync(request, cancellationToken);
    }
}
