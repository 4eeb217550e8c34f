using System.Data.Common;
using System.Globalization;
using Clientele.Customers;
using Clientele.Search;

namespace Clientele.Storage;

/// <summary>
/// Turns a <see cref="CustomerSearch"/> into a SQL condition over <c>customers c</c> and the statement counting its
/// matches, values always bound as parameters. The null rules of spec §5 live here once; each provider says how
/// it folds case, tests a substring, reads <c>customData</c>, binds a boolean and reads an account's size.
/// </summary>
internal abstract class SearchSql(DbCommand command)
{
    private int _parameters;

    protected string Condition(long accountId, CustomerSearch search)
    {
        BindAccount(accountId);
        if (search.Filters.Count == 0)
        {
            return "c.account_id = @account_id";
        }
        if (AnyOfTags(search) is { } names)
        {
            // One set of links for "any of these tags": planners walk every customer of the account for an OR
            // of subqueries, but find a single subquery's links from the tags.
            return $"c.account_id = @account_id AND {HasTag(names)}";
        }
        var clauses = search.Filters.Select(Clause);
        return $"c.account_id = @account_id AND ({string.Join(search.MatchAny ? " OR " : " AND ", clauses)})";
    }

    /// <summary>The statement counting a search's matches for <c>total</c>, from the least the search needs read.</summary>
    protected string CountStatement(long accountId, CustomerSearch search)
    {
        if (search.Filters.Count == 0)
        {
            BindAccount(accountId);
            return AccountSize;
        }
        if (AnyOfTags(search) is { } names)
        {
            BindAccount(accountId);
            // A tag's links are customers of the tag's account (a customer is only ever linked to its own account's
            // tags), so the links count them without visiting them; a customer holding two of the names counts once.
            var links = "FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id " +
                        $"WHERE t.account_id = @account_id AND t.name IN ({string.Join(", ", names.Select(name => Bind(name)))})";
            return names.Count == 1 ? $"SELECT count(*) {links}" : $"SELECT count(DISTINCT ct.customer_id) {links}";
        }
        return $"SELECT count(*) FROM customers c WHERE {Condition(accountId, search)}";
    }

    /// <summary>
    /// The total when the page shows it: a page shorter than the limit holds the last matches, unless it is empty
    /// because the offset is past them.
    /// </summary>
    public static long? TotalFromPage(CustomerListQuery page, int rows) =>
        rows < page.Limit && (rows > 0 || page.Offset == 0) ? page.Offset + rows : null;

    /// <summary>A statement reading the number of customers of <c>@account_id</c> that the customer triggers keep.</summary>
    protected abstract string AccountSize { get; }

    /// <summary>
    /// The distinct names of a search that asks for the customers holding any of them (spec §5: "any" is one clause
    /// per tag, OR), or holding one; null for any other search.
    /// </summary>
    protected static List<string>? AnyOfTags(CustomerSearch search) =>
        search.Filters.Count > 0 && (search.MatchAny || search.Filters.Count == 1) && search.Filters.All(f => f is TagsClause { Names.Count: 1 })
            ? [.. search.Filters.Select(f => ((TagsClause)f).Names[0]).Distinct(StringComparer.Ordinal)]
            : null;

    /// <summary>
    /// Nulls last in both directions and ties by id, so pages never overlap or skip; <paramref name="sortKey"/>
    /// writes a provider's key for a field and a direction (<c>ASC</c>/<c>DESC</c>) with its nulls last.
    /// </summary>
    protected static string OrderBy(CustomerListQuery page, Func<CustomerField, string, string> sortKey)
    {
        if (page.Sort is not { } sort || sort == CustomerField.Id)
        {
            return page.Descending ? "c.id DESC" : "c.id ASC";
        }
        return $"{sortKey(sort, page.Descending ? "DESC" : "ASC")}, c.id ASC";
    }

    /// <summary>The case-folded form of a text field, as an SQL expression.</summary>
    protected abstract string Folded(CustomerField field);

    /// <summary>A substring test on a folded expression; the needle is already folded.</summary>
    protected abstract string Contains(CustomerField field, string folded, string needle);

    protected abstract string CustomData(CustomDataClause clause);

    protected virtual object Flag(bool value) => value;

    /// <summary>A range comparison on an id or a date; a provider may tell its planner how selective it usually is.</summary>
    protected virtual string Range(string condition) => condition;

    private string Clause(FilterClause clause) => clause switch
    {
        FieldClause field => Field(field),
        TagsClause tags => Tags(tags),
        CustomDataClause custom => CustomData(custom),
        _ => throw new ArgumentOutOfRangeException(nameof(clause), clause, null),
    };

    /// <summary><c>!=</c> and <c>!~</c> also match a null field; other comparisons never do.</summary>
    private string Field(FieldClause clause)
    {
        var column = "c." + CustomerTable.Of(clause.Field);
        if (clause.Value is null)
        {
            return clause.Operator == FilterOperator.Equal ? $"{column} IS NULL" : $"{column} IS NOT NULL";
        }
        if (clause.Value is not string text)
        {
            var value = Bind(clause.Value is bool flag ? Flag(flag) : clause.Value);
            return clause.Operator switch
            {
                FilterOperator.NotEqual => $"({column} IS NULL OR {column} <> {value})",
                FilterOperator.Equal => $"{column} = {value}",
                _ => Range($"{column} {Comparison(clause.Operator)} {value}"),
            };
        }
        var folded = Folded(clause.Field);
        return clause.Operator switch
        {
            FilterOperator.Equal => $"{folded} = {Bind(text)}",
            FilterOperator.NotEqual => $"({column} IS NULL OR {folded} <> {Bind(text)})",
            FilterOperator.Contains => Contains(clause.Field, folded, text),
            _ => $"({column} IS NULL OR NOT {Contains(clause.Field, folded, text)})",
        };
    }

    /// <summary>
    /// The customers holding a tag, found from the tag (one index lookup, then its links in customer order), so
    /// the count and the page cost the matches, not a probe of every customer of the account.
    /// </summary>
    private string Tags(TagsClause clause) =>
        clause.Names.Count == 0 ? "1 = 1" : string.Join(" AND ", clause.Names.Select(name => HasTag([name])));

    /// <summary>The customer holds at least one of <paramref name="names"/>.</summary>
    private string HasTag(IEnumerable<string> names) =>
        "c.id IN (SELECT ct.customer_id FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id " +
        $"WHERE t.account_id = @account_id AND t.name IN ({string.Join(", ", names.Select(name => Bind(name)))}))";

    protected static string Comparison(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Greater => ">",
        FilterOperator.Less => "<",
        FilterOperator.GreaterOrEqual => ">=",
        FilterOperator.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary><c>customData</c> numbers compare with <c>=</c> for both <c>=</c> and <c>!=</c>; the negation wraps the whole test.</summary>
    protected static string NumberComparison(FilterOperator op) => Comparison(op == FilterOperator.NotEqual ? FilterOperator.Equal : op);

    protected static bool IsNegative(FilterOperator op) => op is FilterOperator.NotEqual or FilterOperator.NotContains;

    /// <summary>Binds <c>@account_id</c>, which every statement built here filters on.</summary>
    protected void BindAccount(long accountId) => Bind("account_id", accountId);

    protected string Bind(object value) => Bind("p" + (_parameters++).ToString(CultureInfo.InvariantCulture), value);

    private string Bind(string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return "@" + name;
    }
}
