using System.Net;
using System.Text;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>Spec §3/§4 <c>customData</c>: two input forms, per-property merge, exact numbers, order, scalar-only values, 200 properties.</summary>
public sealed class CustomDataTests
{
    /// <summary>The raw <c>customData</c> value of a customer object (it is the last key, spec §3).</summary>
    private static string CustomDataOnWire(string customer)
    {
        const string key = "\"customData\":";
        var at = customer.LastIndexOf(key, StringComparison.Ordinal);
        Assert.True(at > 0 && customer.EndsWith('}'), customer);
        return customer[(at + key.Length)..^1];
    }

    private static async Task<string> CustomDataOfAsync(HttpClient client, long id) => CustomDataOnWire(await client.GetOkAsync($"customers/{id}"));

    private static async Task<string> CreateAndReadCustomDataAsync(HttpClient client, string customData)
    {
        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", $$"""{"customData":{{customData}}}""");
        var onCreate = CustomDataOnWire(body);
        Assert.Equal(onCreate, await CustomDataOfAsync(client, IdOf(body)));
        return onCreate;
    }

    [Fact]
    public async Task Create_WithPropertyValueList_StoresAnObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var customData = await CreateAndReadCustomDataAsync(client,
            """[{"property":"plan","value":"pro"},{"property":"seats","value":5},{"property":"trial","value":false}]""");

        Assert.Equal("""{"plan":"pro","seats":5,"trial":false}""", customData);
    }

    [Fact]
    public async Task Create_WithObject_StoresItAsSent()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var customData = await CreateAndReadCustomDataAsync(client, """{"plan":"pro","seats":5,"trial":true,"note":"a \"quoted\" word"}""");

        Assert.Equal("""{"plan":"pro","seats":5,"trial":true,"note":"a \"quoted\" word"}""", customData);
    }

    [Theory]
    [InlineData("""{"a":1,"gone":null,"b":"x"}""")]
    [InlineData("""[{"property":"a","value":1},{"property":"gone","value":null},{"property":"b","value":"x"}]""")]
    public async Task Create_WithNullValue_LeavesThatPropertyOut(string customData)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        Assert.Equal("""{"a":1,"b":"x"}""", await CreateAndReadCustomDataAsync(client, customData));
    }

    [Theory]
    [InlineData("""{"b":3,"c":4}""")]
    [InlineData("""[{"property":"b","value":3},{"property":"c","value":4}]""")]
    public async Task Patch_WithCustomData_MergesPerProperty(string change)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":{"a":1,"b":2}}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", $$"""{"customData":{{change}}}""");

        Assert.Equal("""{"a":1,"b":3,"c":4}""", CustomDataOnWire(body));
        Assert.Equal("""{"a":1,"b":3,"c":4}""", await CustomDataOfAsync(client, id));
    }

    [Theory]
    [InlineData("""{"b":null,"never-set":null}""")]
    [InlineData("""[{"property":"b","value":null},{"property":"never-set","value":null}]""")]
    public async Task Patch_WithNullValue_RemovesThatProperty(string change)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":{"a":1,"b":2,"c":3}}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", $$"""{"customData":{{change}}}""");

        Assert.Equal("""{"a":1,"c":3}""", CustomDataOnWire(body));
        Assert.Equal("""{"a":1,"c":3}""", await CustomDataOfAsync(client, id));
    }

    [Fact]
    public async Task Patch_RemovingEveryProperty_LeavesEmptyObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":{"a":1}}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"customData":{"a":null}}""");

        Assert.Equal("{}", CustomDataOnWire(body));
    }

    [Fact]
    public async Task Put_WithCustomData_ReplacesTheWholeSet()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":{"a":1,"b":2}}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}", """{"customData":{"c":3,"b":null}}""");

        Assert.Equal("""{"c":3}""", CustomDataOnWire(body));
        Assert.Equal("""{"c":3}""", await CustomDataOfAsync(client, id));
    }

    [Theory]
    [InlineData("5.10")]
    [InlineData("1E3")]
    [InlineData("1e-7")]
    [InlineData("12345678901234567890")]
    [InlineData("-0")]
    [InlineData("0.000")]
    [InlineData("-12.50e+2")]
    [InlineData("3.14159265358979323846264338327950288")]
    [InlineData("100000000000000000000000000000000000000000000000001")]
    public async Task Numbers_AreKeptExactlyAsSent(string number)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        Assert.Equal($$"""{"n":{{number}}}""", await CreateAndReadCustomDataAsync(client, $$"""{"n":{{number}}}"""));
        Assert.Equal($$"""{"n":{{number}}}""", await CreateAndReadCustomDataAsync(client, $$"""[{"property":"n","value":{{number}}}]"""));
    }

    [Fact]
    public async Task Numbers_SurviveLaterPatchesOfOtherProperties()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":{"price":5.10,"big":12345678901234567890}}""");

        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"customData":{"k":1E3},"name":"x"}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}/tags", """{"tags":[{"name":"t"}]}""");

        Assert.Equal("""{"price":5.10,"big":12345678901234567890,"k":1E3}""", await CustomDataOfAsync(client, id));
    }

    [Fact]
    public async Task InsertionOrder_IsKeptAndUpdatesKeepTheirPlace()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"customData":[{"property":"zeta","value":1},{"property":"alpha","value":2},{"property":"mid","value":3}]}""");
        Assert.Equal("""{"zeta":1,"alpha":2,"mid":3}""", await CustomDataOfAsync(client, id));

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"customData":{"beta":4,"alpha":5,"aardvark":6}}""");

        Assert.Equal("""{"zeta":1,"alpha":5,"mid":3,"beta":4,"aardvark":6}""", CustomDataOnWire(body));
        Assert.Equal("""{"zeta":1,"alpha":5,"mid":3,"beta":4,"aardvark":6}""", await CustomDataOfAsync(client, id));
    }

    [Theory]
    [InlineData("POST", """{"ok":1,"bad":{"x":1}}""", "customData.bad")]
    [InlineData("POST", """{"bad":[1,2]}""", "customData.bad")]
    [InlineData("POST", """[{"property":"ok","value":1},{"property":"bad","value":{"x":1}}]""", "customData[1].value")]
    [InlineData("POST", """[{"property":"bad","value":[]}]""", "customData[0].value")]
    [InlineData("PUT", """{"bad":{}}""", "customData.bad")]
    [InlineData("PUT", """[{"property":"bad","value":[1]}]""", "customData[0].value")]
    [InlineData("PATCH", """{"ok":2,"bad":{"x":{"y":1}}}""", "customData.bad")]
    [InlineData("PATCH", """[{"property":"ok","value":2},{"property":"bad","value":{"x":1}}]""", "customData[1].value")]
    [InlineData("PATCH", "\"plan=pro\"", "customData")]
    [InlineData("PATCH", "42", "customData")]
    public async Task NonScalarValue_Answers400WithItsPathAndWritesNothing(string method, string customData, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Keep","customData":{"ok":1}}""");
        var before = await client.GetOkAsync($"customers/{id}");
        var path = method == "POST" ? "customers" : $"customers/{id}";

        await client.AssertErrorAsync(HttpStatusCode.BadRequest, code, new HttpMethod(method), path, $$"""{"name":"Changed","customData":{{customData}}}""");

        Assert.Equal(before, await client.GetOkAsync($"customers/{id}"));
        Assert.Equal($$"""{"data":[{{before}}],"total":1}""", await client.GetOkAsync("customers"));
    }

    private static string ManyProperties(int count, int start = 0)
    {
        var json = new StringBuilder("{");
        for (var i = start; i < start + count; i++)
        {
            json.Append(i == start ? "" : ",").Append("\"p").Append(i).Append("\":").Append(i);
        }
        return json.Append('}').ToString();
    }

    [Fact]
    public async Task Create_WithTwoHundredProperties_IsAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        Assert.Equal(ManyProperties(200), await CreateAndReadCustomDataAsync(client, ManyProperties(200)));
    }

    [Fact]
    public async Task Create_WithMoreThanTwoHundredProperties_Answers400AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var list = "[" + string.Join(",", Enumerable.Range(0, 201).Select(i => $$"""{"property":"p{{i}}","value":{{i}}}""")) + "]";

        await client.AssertErrorAsync(HttpStatusCode.BadRequest, "customData", HttpMethod.Post, "customers", $$"""{"customData":{{ManyProperties(201)}}}""");
        await client.AssertErrorAsync(HttpStatusCode.BadRequest, "customData", HttpMethod.Post, "customers", $$"""{"customData":{{list}}}""");

        Assert.Equal("""{"data":[],"total":0}""", await client.GetOkAsync("customers"));
    }

    [Fact]
    public async Task Patch_GoingPastTwoHundredProperties_Answers400AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync($$"""{"customData":{{ManyProperties(150)}}}""");
        var before = await client.GetOkAsync($"customers/{id}");

        await client.AssertErrorAsync(HttpStatusCode.BadRequest, "customData", HttpMethod.Patch, $"customers/{id}",
            $$"""{"name":"Changed","customData":{{ManyProperties(51, start: 150)}}}""");

        Assert.Equal(before, await client.GetOkAsync($"customers/{id}"));
        // Updating existing properties while at the limit is fine.
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", $$"""{"customData":{{ManyProperties(50, start: 150)}}}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"customData":{"p0":"changed","p199":null,"p200":1}}""");
    }
}
