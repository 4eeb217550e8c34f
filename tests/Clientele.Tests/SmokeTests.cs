using System.Net;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Create_ThenGet_ReturnsTheSameCustomer()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"John"}""");
        var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"name\":\"John\"", body, StringComparison.Ordinal);
    }
}
