using Clientele.Client.Tests.Infrastructure;

namespace Clientele.Client.Tests;

/// <summary>List and search as <c>IAsyncEnumerable</c> that page, and the filter builder, against a real server.</summary>
public sealed class PagingAndSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<long>> CreateAsync(ClienteleClient client, int count, Func<int, CustomerInput>? make = null)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await client.CreateCustomerAsync(make?.Invoke(i) ?? new CustomerInput { Name = $"C{i}" }, Ct)).Id);
        }
        return ids;
    }

    [Theory]
    [InlineData(7, 3, 3)]
    [InlineData(6, 3, 2)]
    [InlineData(1, 100, 1)]
    [InlineData(0, 3, 1)]
    public async Task ListCustomers_YieldsEveryCustomerInIdOrder_OneRequestPerPage(int customers, int pageSize, int requests)
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, customers);
        var before = h.Requests.Count;

        var listed = await h.Client.ListCustomersAsync(new CustomerListOptions { PageSize = pageSize }, Ct).Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids, listed);
        Assert.Equal(requests, h.Requests.Count - before);
    }

    [Fact]
    public async Task ListCustomers_StopsFetchingWhenTheCallerStops()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 5);
        var before = h.Requests.Count;

        var first = await h.Client.ListCustomersAsync(new CustomerListOptions { PageSize = 2 }, Ct).Take(3).Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids.Take(3), first);
        Assert.Equal(2, h.Requests.Count - before);
    }

    [Fact]
    public async Task ListCustomers_FromAnOffset_SortedDescending_PutsNullsLast()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 5, i => new CustomerInput
        {
            Name = $"C{i}",
            LastSeen = i == 2 ? null : DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + i),
        });

        var options = new CustomerListOptions { SortBy = CustomerSortField.LastSeen, Order = SortOrder.Descending, PageSize = 2, Offset = 1 };
        var listed = await h.Client.ListCustomersAsync(options, Ct).Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal([ids[3], ids[1], ids[0], ids[2]], listed);
    }

    [Fact]
    public async Task ListCustomersPage_ReturnsOnePageAndTheTotal()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 5);

        var page = await h.Client.ListCustomersPageAsync(new CustomerListOptions { Offset = 1, PageSize = 2 }, Ct);

        Assert.Equal(5, page.Total);
        Assert.Equal(ids.Skip(1).Take(2), page.Customers.Select(c => c.Id));
    }

    [Fact]
    public async Task SearchCustomers_OrOfEmailAndTag_PagesAcrossPages()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 7, i => i switch
        {
            < 3 => new CustomerInput { Email = $"user{i}@GMAIL.com" },
            < 5 => new CustomerInput { Email = $"user{i}@example.com", Tags = [new Tag("VIP")] },
            _ => new CustomerInput { Email = $"user{i}@example.com", Tags = [new Tag("vip")] },
        });
        var before = h.Requests.Count;

        var found = await h.Client.SearchCustomersAsync(Filter.Email.Contains("gmail") | Filter.Tag("VIP"), new CustomerListOptions { PageSize = 2 }, Ct)
            .Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids.Take(5), found);
        Assert.Equal(3, h.Requests.Count - before);
    }

    [Fact]
    public async Task SearchCustomers_AndOfClauses_NeedsEveryOne()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 3, i => new CustomerInput { Email = $"u{i}@gmail.com", Blocked = i == 1 });

        var found = await h.Client.SearchCustomersAsync(Filter.Email.Contains("gmail") & Filter.Blocked.EqualTo(false) & Filter.Id.GreaterThan(ids[0]), cancellationToken: Ct)
            .Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal([ids[2]], found);
    }

    [Fact]
    public async Task SearchCustomers_ByDatesIdsTextNullsAndTags()
    {
        await using var h = await ClientHarness.StartAsync();
        var t = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var ids = await CreateAsync(h.Client, 4, i => new CustomerInput
        {
            Name = i == 3 ? null : $"Name{i}",
            FirstSeen = t.AddDays(i),
            Tags = i switch { 0 => [new Tag("A"), new Tag("B")], 1 => [new Tag("A")], _ => [] },
        });

        async Task<List<long>> Ids(Filter filter) => await h.Client.SearchCustomersAsync(filter, cancellationToken: Ct).Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids[2..], await Ids(Filter.FirstSeen.OnOrAfter(t.AddDays(2))));
        Assert.Equal(ids[..1], await Ids(Filter.FirstSeen.Before(t.AddDays(1))));
        Assert.Equal(ids[1..2], await Ids(Filter.FirstSeen.EqualTo(t.AddDays(1))));
        Assert.Equal(ids[1..3], await Ids(Filter.Id.GreaterThanOrEqualTo(ids[1]) & Filter.Id.LessThanOrEqualTo(ids[2])));
        Assert.Equal(ids[3..], await Ids(Filter.Name.IsNull()));
        Assert.Equal(ids[..3], await Ids(Filter.Name.IsNotNull()));
        Assert.Equal(ids[1..2], await Ids(Filter.Name.EqualTo("NAME1")));
        Assert.Equal([ids[0], ids[2], ids[3]], await Ids(Filter.Name.NotContains("e1")));
        Assert.Equal(ids[..1], await Ids(Filter.Tags("A", "B")));
        Assert.Equal(ids[..2], await Ids(Filter.AnyOf(((string[])["A", "B"]).Select(Filter.Tag))));
        Assert.Equal(ids, await Ids(Filter.AllOf()));
    }

    [Fact]
    public async Task SearchCustomers_ByCustomData_ComparesByTheValuesType()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 3, i => new CustomerInput
        {
            CustomData = { ["plan"] = i == 0 ? "Pro" : "free", ["seats"] = i * 10, ["paid"] = i != 1 },
        });

        async Task<List<long>> Ids(Filter filter) => await h.Client.SearchCustomersAsync(filter, cancellationToken: Ct).Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids[..1], await Ids(Filter.CustomData("plan").EqualTo("pro")));
        Assert.Equal(ids[1..], await Ids(Filter.CustomData("plan").Contains("fre")));
        Assert.Equal(ids[1..], await Ids(Filter.CustomData("seats").GreaterThan(5)));
        Assert.Equal(ids[2..], await Ids(Filter.CustomData("seats").GreaterThanOrEqualTo(19.5)));
        Assert.Equal(ids[..2], await Ids(Filter.CustomData("seats").LessThanOrEqualTo(10m)));
        Assert.Equal([ids[0], ids[2]], await Ids(Filter.CustomData("paid").EqualTo(true)));
        Assert.Equal(ids, await Ids(Filter.CustomData("missing").IsNull()));
    }

    [Fact]
    public async Task SearchCustomers_WithNoFilter_MatchesEveryone_Sorted()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 3, i => new CustomerInput { Name = $"N{2 - i}" });

        var page = await h.Client.SearchCustomersPageAsync(null, new CustomerListOptions { SortBy = CustomerSortField.Name }, Ct);

        Assert.Equal(3, page.Total);
        Assert.Equal([ids[2], ids[1], ids[0]], page.Customers.Select(c => c.Id));
    }

    [Fact]
    public async Task SearchCustomers_ByMessengerId_FindsTheCustomerItWasWrittenTo()
    {
        await using var h = await ClientHarness.StartAsync();
        var ids = await CreateAsync(h.Client, 2, i => new CustomerInput { WhatsappId = $"wa-{i}" });
        await h.Client.UpdateCustomerAsync(ids[0], new CustomerUpdate { ViberId = "vb-0" }, Ct);

        var found = await h.Client.SearchCustomersAsync(Filter.WhatsappId.EqualTo("wa-1") | Filter.ViberId.EqualTo("vb-0"), cancellationToken: Ct)
            .Select(c => c.Id).ToListAsync(Ct);

        Assert.Equal(ids, found);
    }
}
