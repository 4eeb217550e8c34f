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
            return $"c.account_id = @account_id AND c.id IN ({TagLinks(names, all: false)})";
        }
        return $"c.account_id = @account_id AND {(search.MatchAny ? AnyOf(search.Filters) : AllOf(search.Filters))}";
    }

    /// <summary>
    /// AND: the clauses whose customers come from another table (tag links, a substring index) combined into one
    /// set of ids, the other clauses tested on each customer of it. Two <c>c.id IN (…)</c> side by side are what
    /// SQLite planned as an index probe per pair of ids (100k customers, two tags: 32 s).
    /// </summary>
    private string AllOf(IReadOnlyList<FilterClause> clauses)
    {
        var sets = new List<string>();
        var tests = new List<string>();
        foreach (var clause in clauses)
        {
            if (IsLinked(clause))
            {
                sets.Add(Ids(clause));
            }
            else
            {
                tests.Add(Clause(clause));
            }
        }
        if (sets.Count > 0)
        {
            tests.Insert(0, InEvery(sets));
        }
        return tests.Count == 1 ? tests[0] : $"({string.Join(" AND ", tests)})";
    }

    /// <summary>
    /// OR: when an index yields every clause's customers, their union, so the search reads its matches; otherwise
    /// each customer of the account is tested once, the linked clauses' customers looked up in their union.
    /// </summary>
    private string AnyOf(IReadOnlyList<FilterClause> clauses)
    {
        if (clauses.All(clause => IsLinked(clause) || IsIndexed(clause)) && (clauses.Any(IsLinked) || !OrsIndexes))
        {
            return $"c.id IN ({string.Join(" UNION ", clauses.Select(Ids))})";
        }
        var linked = clauses.Where(IsLinked).Select(Ids).ToList();
        var tests = clauses.Where(clause => !IsLinked(clause)).Select(Clause).ToList();
        if (linked.Count > 0)
        {
            tests.Insert(0, $"c.id IN ({string.Join(" UNION ", linked)})");
        }
        return $"({string.Join(" OR ", tests)})";
    }

    /// <summary>Whether the planner reads an OR of indexed conditions of <c>customers</c> from the indexes by itself.</summary>
    protected virtual bool OrsIndexes => false;

    /// <summary>Whether a clause's customers are read from another table (its <see cref="Ids"/> are not a test of <c>c</c>).</summary>
    protected virtual bool IsLinked(FilterClause clause) => clause is TagsClause { Names.Count: > 0 };

    /// <summary>
    /// Whether an index of <c>customers</c> finds a clause's matches: an equality on a text field with a folded
    /// index, or a comparison (not <c>!=</c>) on the id or a date.
    /// </summary>
    protected virtual bool IsIndexed(FilterClause clause) => clause is FieldClause { Value: not null } field && field.Operator switch
    {
        FilterOperator.NotEqual or FilterOperator.NotContains or FilterOperator.Contains => false,
        FilterOperator.Equal when field.Value is string => field.Field is CustomerField.Email or CustomerField.UserId or CustomerField.Phone,
        _ => field.Field is CustomerField.Id or CustomerField.FirstSeen or CustomerField.LastSeen,
    };

    /// <summary>The statement selecting the ids of the customers a linked or indexed clause matches.</summary>
    private string Ids(FilterClause clause) => clause switch
    {
        TagsClause tags => TagLinks(tags.Names, all: true),
        FieldClause field when LinkedIds(field) is { } ids => ids,
        // The inner c hides the outer one: the clause's condition reads the same there.
        _ => $"SELECT c.id FROM customers c WHERE c.account_id = @account_id AND {Clause(clause)}",
    };

    /// <summary>The ids a provider reads from another table for a field clause (a substring index), or null.</summary>
    protected virtual string? LinkedIds(FieldClause clause) => null;

    /// <summary>A condition holding for the customers in every one of <paramref name="sets"/> (two or more: one).</summary>
    protected abstract string InEvery(IReadOnlyList<string> sets);

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
            var links = $"FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.account_id = @account_id AND {NameIs(names)}";
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
    /// Whether the customer <paramref name="customerId"/> holds every one of <paramref name="names"/> (distinct, as
    /// many as <paramref name="count"/> says): a count of its own links to them, a few lookups by customer.
    /// </summary>
    protected string HoldsAll(string customerId, IReadOnlyList<string> names, string count) =>
        $"(SELECT count(*) FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = {customerId} " +
        $"AND t.account_id = @account_id AND {NameIs(names)}) = {count}";

    /// <summary>
    /// The distinct names of a search asking for customers holding all of them, when it has tag clauses only,
    /// ANDed, and two names or more; null otherwise.
    /// </summary>
    protected static string[]? AllTags(CustomerSearch search)
    {
        if (search.MatchAny && search.Filters.Count > 1 || !search.Filters.All(f => f is TagsClause { Names.Count: > 0 }))
        {
            return null;
        }
        string[] names = [.. search.Filters.SelectMany(f => ((TagsClause)f).Names).Distinct(StringComparer.Ordinal)];
        return names.Length >= 2 ? names : null;
    }

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

    /// <summary>A clause of no names asks for nothing; any other is linked, its customers read from <see cref="TagLinks"/>.</summary>
    private static string Tags(TagsClause clause) => clause.Names.Count == 0 ? "1 = 1" : throw new ArgumentOutOfRangeException(nameof(clause), clause, "a linked clause");

    /// <summary>
    /// The ids of the customers holding all (or any) of <paramref name="names"/>: the links of the named tags,
    /// for "all" those of the customers linked to as many of them as there are distinct names (a customer has a
    /// tag once). The names are one parameter, so the statement is the same whatever their number.
    /// </summary>
    private string TagLinks(IReadOnlyList<string> names, bool all)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        const string links = "SELECT ct.customer_id FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.account_id = @account_id AND ";
        if (distinct.Count == 1)
        {
            return links + $"t.name = {Bind(distinct[0])}";
        }
        return all
            ? links + $"{NameIs(distinct)} GROUP BY ct.customer_id HAVING count(*) = {Bind((long)distinct.Count)}"
            : links + NameIs(distinct);
    }

    /// <summary><c>t.name</c> is one of <paramref name="names"/>, bound as a single parameter.</summary>
    protected abstract string NameIs(IReadOnlyList<string> names);

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
