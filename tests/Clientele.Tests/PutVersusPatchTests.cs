using System.Net;
using System.Text.Json.Nodes;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>
/// Spec §4: PUT replaces (a writable field absent from the body becomes null / false / [] / {}), PATCH merges
/// (absent: unchanged; null: cleared; value: set). Checked field by field against a customer that starts with every
/// field set, comparing the whole object on the wire so untouched fields are checked too.
/// </summary>
public sealed class PutVersusPatchTests
{
    /// <summary>
    /// One writable field. <paramref name="BodyKeys"/> are the members of the starting body that carry it;
    /// <paramref name="Value"/> and <paramref name="Null"/> are the members sent to set and to clear it (JSON object
    /// members without braces, <c>{n}</c> standing for the customer's number); the actions change the expected output.
    /// </summary>
    public sealed record FieldCase(
        bool FlatLocation,
        string[] BodyKeys,
        string Value,
        string Null,
        Action<JsonObject> Clear,
        Action<JsonObject> SetByPut,
        Action<JsonObject> SetByPatch);

    /// <summary>The starting body; location nested or as the flat top-level keys.</summary>
    private static string StartBody(int n, bool flatLocation) =>
        $$$"""
        {"name":"John Doe","email":"john@example.com","userId":"crm-{{{n}}}","company":"Acme","phone":"+380501234567",
        "firstSeen":"1603885746","lastSeen":1603885800,
        {{{(flatLocation ? "\"city\":\"San Francisco\",\"regionCode\":\"CA\",\"countryCode\":\"US\"" : "\"location\":{\"regionCode\":\"CA\",\"countryCode\":\"US\",\"city\":\"San Francisco\"}")}}},
        "unsubscribed":true,"blocked":true,"source":"https://example.com/pricing","referer":"https://google.com",
        "lastPage":"https://example.com/signup","locale":"en","createdFrom":"api","integrationId":"int-1","notes":"Called twice",
        "tags":[{"name":"Lead","color":"#123456"},{"name":"VIP"}],"customData":{"plan":"pro","seats":5}}
        """;

    /// <summary>What the starting body produces on the wire.</summary>
    private static string StartCustomer(long id, int n) =>
        $$$"""
        {"id":{{{id}}},"name":"John Doe","email":"john@example.com","userId":"crm-{{{n}}}","company":"Acme","phone":"+380501234567",
        "firstSeen":"1603885746","lastSeen":"1603885800",
        "location":{"regionCode":"CA","countryCode":"US","city":"San Francisco"},
        "device":{"id":null,"ip":null,"timezone":null,"platform":null,"userAgent":null},
        "unsubscribed":true,"blocked":true,"source":"https://example.com/pricing","referer":"https://google.com",
        "lastPage":"https://example.com/signup","locale":"en","createdFrom":"api","integrationId":"int-1","notes":"Called twice",
        "tags":[{"name":"Lead","color":"#123456"},{"name":"VIP","color":"#c377e0"}],"customData":{"plan":"pro","seats":5}}
        """.ReplaceLineEndings("");

    private static FieldCase Text(string field, string newValue) => Scalar(field, $"\"{newValue}\"", JsonValue.Create(newValue));

    private static FieldCase Scalar(string field, string sent, JsonNode? shown) => new(
        false, [field], $"\"{field}\":{sent}", $"\"{field}\":null",
        o => o[field] = null, o => o[field] = shown?.DeepClone(), o => o[field] = shown?.DeepClone());

    private static FieldCase Flat(string member, string newValue) => new(
        true, [member], $"\"{member}\":\"{newValue}\"", $"\"{member}\":null",
        o => o["location"]![member] = null, o => o["location"]![member] = newValue, o => o["location"]![member] = newValue);

    private static FieldCase Flag(string field) => new(
        false, [field], $"\"{field}\":false", $"\"{field}\":null",
        o => o[field] = false, o => o[field] = false, o => o[field] = false);

    private static readonly Dictionary<string, FieldCase> Fields = new()
    {
        ["name"] = Text("name", "Jane Roe"),
        ["email"] = Text("email", "jane@example.org"),
        ["userId"] = Scalar("userId", "\"crm-new-{n}\"", "crm-new-{n}"),
        ["company"] = Text("company", "Globex"),
        ["phone"] = Text("phone", "+15550001111"),
        ["source"] = Text("source", "https://example.com/blog"),
        ["referer"] = Text("referer", "https://duckduckgo.com"),
        ["lastPage"] = Text("lastPage", "https://example.com/thanks"),
        ["createdFrom"] = Text("createdFrom", "import"),
        ["integrationId"] = Text("integrationId", "int-2"),
        ["notes"] = Text("notes", "Called thrice"),
        ["firstSeen"] = Scalar("firstSeen", "1700000000", "1700000000"),
        ["lastSeen"] = Scalar("lastSeen", "\"1700000001.5\"", "1700000001"),
        ["location"] = new(false, ["location"],
            "\"location\":{\"regionCode\":\"ON\",\"countryCode\":\"CA\",\"city\":\"Toronto\"}", "\"location\":null",
            o => o["location"] = Location(null, null, null),
            o => o["location"] = Location("ON", "CA", "Toronto"),
            o => o["location"] = Location("ON", "CA", "Toronto")),
        ["city"] = Flat("city", "Kyiv"),
        ["regionCode"] = Flat("regionCode", "KY"),
        ["countryCode"] = Flat("countryCode", "UA"),
        ["unsubscribed"] = Flag("unsubscribed"),
        ["blocked"] = Flag("blocked"),
        ["locale"] = Text("locale", "pt-BR"),
        ["tags"] = new(false, ["tags"], "\"tags\":[{\"name\":\"Churned\",\"color\":\"#000000\"}]", "\"tags\":null",
            o => o["tags"] = new JsonArray(),
            o => o["tags"] = JsonNode.Parse("""[{"name":"Churned","color":"#000000"}]"""),
            o => o["tags"] = JsonNode.Parse("""[{"name":"Churned","color":"#000000"}]""")),
        ["customData"] = new(false, ["customData"], "\"customData\":{\"plan\":\"team\",\"extra\":true}", "\"customData\":null",
            o => o["customData"] = new JsonObject(),
            o => o["customData"] = JsonNode.Parse("""{"plan":"team","extra":true}"""),
            // PATCH merges customData per property.
            o => o["customData"] = JsonNode.Parse("""{"plan":"team","seats":5,"extra":true}""")),
    };

    private static JsonObject Location(string? regionCode, string? countryCode, string? city) =>
        new() { ["regionCode"] = regionCode, ["countryCode"] = countryCode, ["city"] = city };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in Fields.Keys)
        {
            data.Add(field, "PUT");
            data.Add(field, "PATCH");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Update_OfOneFieldAbsentNullOrValue_FollowsReplaceOrMergeRules(string field, string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var rule = Fields[field];
        var failures = new List<string>();
        var n = 0;

        foreach (var presence in new[] { "absent", "null", "value" })
        {
            n++;
            var id = await client.CreateCustomerAsync(StartBody(n, rule.FlatLocation));
            var expected = (JsonObject)JsonNode.Parse(StartCustomer(id, n))!;
            JsonObject body;
            if (method == "PUT")
            {
                body = (JsonObject)JsonNode.Parse(StartBody(n, rule.FlatLocation))!;
                foreach (var key in rule.BodyKeys)
                {
                    Assert.True(body.Remove(key), $"starting body lacks {key}");
                }
                switch (presence)
                {
                    case "absent":
                        rule.Clear(expected);
                        break;
                    case "null":
                        AddMembers(body, rule.Null, n);
                        rule.Clear(expected);
                        break;
                    default:
                        AddMembers(body, rule.Value, n);
                        rule.SetByPut(expected);
                        break;
                }
            }
            else
            {
                body = [];
                switch (presence)
                {
                    case "absent":
                        // Another field changes, so a PATCH that is ignored altogether cannot pass.
                        var probe = field == "notes" ? "name" : "notes";
                        body[probe] = "probe";
                        expected[probe] = "probe";
                        break;
                    case "null":
                        AddMembers(body, rule.Null, n);
                        rule.Clear(expected);
                        break;
                    default:
                        AddMembers(body, rule.Value, n);
                        rule.SetByPatch(expected);
                        break;
                }
            }

            var want = Replace(Compact(expected), n);
            var sent = Compact(body);
            var (status, answer) = await client.CallAsync(new HttpMethod(method), $"customers/{id}", sent);
            if (status != HttpStatusCode.OK || answer != want)
            {
                failures.Add($"{method} {field} {presence}: sent {sent}\n  answered {(int)status} {answer}\n  expected 200 {want}");
                continue;
            }
            var stored = await client.GetOkAsync($"customers/{id}");
            if (stored != want)
            {
                failures.Add($"{method} {field} {presence}: GET afterwards {stored}\n  expected {want}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void AddMembers(JsonObject body, string members, int n)
    {
        var parsed = (JsonObject)JsonNode.Parse("{" + Replace(members, n) + "}")!;
        foreach (var (key, value) in parsed)
        {
            body[key] = value?.DeepClone();
        }
    }

    private static string Replace(string text, int n) => text.Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Update_WithTrueFlags_SetsThem(string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, new HttpMethod(method), $"customers/{id}", """{"unsubscribed":true,"blocked":true}""");

        var expected = BlankCustomer(id).Replace("\"unsubscribed\":false,\"blocked\":false", "\"unsubscribed\":true,\"blocked\":true", StringComparison.Ordinal);
        Assert.Equal(expected, body);
        Assert.Equal(expected, await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task Put_WithEmptyObject_ClearsEveryWritableField()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(StartBody(1, flatLocation: false));

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}", "{}");

        Assert.Equal(BlankCustomer(id), body);
        Assert.Equal(BlankCustomer(id), await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task Patch_WithEmptyObject_ChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(StartBody(1, flatLocation: false));

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", "{}");

        Assert.Equal(StartCustomer(id, 1), body);
        Assert.Equal(StartCustomer(id, 1), await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task Patch_WithEmptyStringUserIdAndEmail_ClearsThem()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(StartBody(1, flatLocation: false));

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"userId":"","email":""}""");

        var expected = StartCustomer(id, 1)
            .Replace("\"email\":\"john@example.com\",\"userId\":\"crm-1\"", "\"email\":null,\"userId\":null", StringComparison.Ordinal);
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task Patch_WithNullEmail_ClearsEmail()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"email":"john@example.com","name":"John"}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"email":null}""");

        Assert.Equal(BlankCustomer(id).Replace("\"name\":null", "\"name\":\"John\"", StringComparison.Ordinal), body);
    }
}
