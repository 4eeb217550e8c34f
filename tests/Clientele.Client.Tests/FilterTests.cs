using System.Text.Json.Nodes;

namespace Clientele.Client.Tests;

/// <summary>
/// The filter builder. Mixing <c>|</c> and <c>&amp;</c> (<c>a | b &amp; c</c>) has no operator to bind to and does
/// not compile, which a test cannot show at run time; these check what the combinations build.
/// </summary>
public sealed class FilterTests
{
    [Fact]
    public void Or_OfClauses_IsOneOrFilter_InOrder()
    {
        OrFilter filter = Filter.Email.Contains("gmail") | Filter.Tag("VIP") | (Filter.Id.EqualTo(1) | Filter.Blocked.EqualTo(true));

        Assert.Equal(FilterComparison.Or, filter.Comparison);
        Assert.Equal(["customers.email", "customers.tagsData", "customers.id", "customers.blocked"], filter.Clauses.Select(c => c.Field));
    }

    [Fact]
    public void And_OfClauses_IsOneAndFilter()
    {
        AndFilter filter = Filter.Email.Contains("gmail") & Filter.Unsubscribed.NotEqualTo(true) & Filter.LastSeen.After(DateTimeOffset.FromUnixTimeSeconds(5));

        Assert.Equal(FilterComparison.And, filter.Comparison);
        Assert.Equal(["~", "!=", ">"], filter.Clauses.Select(c => c.Operator));
        Assert.Equal(5, filter.Clauses[2].Value!.GetValue<long>());
    }

    [Fact]
    public void ToString_ShowsTheWireForm()
    {
        var filter = Filter.CustomData("seats").GreaterThan(2.5) | Filter.Tags("A", "B");

        Assert.Equal(
            """{"filter":[{"field":"customers.customData.seats","operator":">","value":2.5},{"field":"customers.tagsData","operator":"=","value":[{"name":"A"},{"name":"B"}]}],"comparison":"OR","offset":0,"limit":0}""",
            filter.ToString());
    }

    [Fact]
    public void ClauseValue_IsACopy()
    {
        var clause = Filter.Tag("A");

        clause.Value!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "B" });

        Assert.Single(clause.Value!.AsArray());
    }

    [Fact]
    public void AnyOf_NoClauses_IsRefused_ButAllOfNoneMatchesEveryone()
    {
        Assert.Throws<ArgumentException>(() => Filter.AnyOf());
        Assert.Empty(Filter.AllOf().Clauses);
        Assert.Throws<ArgumentException>(() => Filter.Tags());
        Assert.Throws<ArgumentException>(() => Filter.CustomData(""));
    }
}
