using System.Text.Json;
using Clientele.Customers;
using Clientele.Search;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Search on SQLite: folded text from the indexed <c>*_ci</c> columns where they exist and from
/// <c>clientele_lower()</c> elsewhere; <c>~</c> on name, email and company through the trigram index when
/// the needle has the three characters a trigram needs.
/// </summary>
internal sealed class SqliteSearchSql(SqliteCommand command) : SearchSql(command)
{
    /// <summary>Registered on every connection that searches: the application's folding, so SQLite agrees with <see cref="CaseFolding"/>.</summary>
    public const string LowerFunction = "clientele_lower";

    /// <summary>
    /// The statement reading a page of <paramref name="selectList"/> (customers <c>c</c>); the caller binds
    /// <c>@limit</c> and <c>@offset</c>.
    /// </summary>
    public static string Page(SqliteCommand command, long accountId, CustomerSearch search, string selectList)
    {
        var sql = new SqliteSearchSql(command);
        var direction = search.Page.Descending ? "DESC" : "ASC";
        // The trigram table and a tag's links yield their customers in id order, and lazily: walked from there, a
        // page in id order stops at its last customer, where c.id IN (…) first collects every match (at a million
        // customers, thousands for a ~ and hundreds of thousands for a common tag).
        if (search.Page.Sort is null or CustomerField.Id && TrigramDriven(search) is { } driven)
        {
            sql.BindAccount(accountId);
            return $"SELECT {selectList} FROM customers_fts f CROSS JOIN customers c ON c.id = f.rowid " +
                   $"WHERE {sql.TrigramMatches(driven)} AND c.account_id = @account_id " +
                   $"ORDER BY f.rowid {direction} LIMIT @limit OFFSET @offset";
        }
        if (search.Page.Sort is null or CustomerField.Id && AllTags(search) is [var first, .. var rest])
        {
            // The first tag's links in id order, each tested against the customer's own links: a page stops at its
            // limit, where grouping every link of the tags by customer read them all (a million customers, two
            // common tags: 550,000 links, 2 s).
            sql.BindAccount(accountId);
            return $"SELECT {selectList} FROM tags t0 CROSS JOIN customer_tags ct0 CROSS JOIN customers c ON c.id = ct0.customer_id " +
                   $"WHERE t0.account_id = @account_id AND t0.name = {sql.Bind(first)} AND ct0.tag_id = t0.id AND c.account_id = @account_id " +
                   $"AND {sql.HoldsAll("ct0.customer_id", rest, sql.Bind((long)rest.Length))} " +
                   $"ORDER BY ct0.customer_id {direction} LIMIT @limit OFFSET @offset";
        }
        if (search.Page.Sort is null or CustomerField.Id && AnyOfTags(search) is [var tag])
        {
            sql.BindAccount(accountId);
            return $"SELECT {selectList} FROM tags t CROSS JOIN customer_tags ct CROSS JOIN customers c ON c.id = ct.customer_id " +
                   $"WHERE t.account_id = @account_id AND t.name = {sql.Bind(tag)} AND ct.tag_id = t.id AND c.account_id = @account_id " +
                   $"ORDER BY ct.customer_id {direction} LIMIT @limit OFFSET @offset";
        }
        return $"SELECT {selectList} FROM customers c WHERE {sql.Condition(accountId, search)} " +
               $"ORDER BY {OrderBy(search.Page)} LIMIT @limit OFFSET @offset";
    }

    public static string Count(SqliteCommand command, long accountId, CustomerSearch search)
    {
        var sql = new SqliteSearchSql(command);
        if (AllTags(search) is [var first, var second, .. var rest])
        {
            // The links of two of the tags, both read in customer order by their index and merged, the customers
            // in both tested against any further names: 550,000 links of two common tags in 50 ms, where grouping
            // them by customer took 300 ms and probing one tag's links for each of the other's 100 ms. A tag's
            // links are customers of its account, so they count them without visiting them.
            sql.BindAccount(accountId);
            var count = sql.Bind((long)rest.Length);
            return $"SELECT count(*) FROM ({Links(0, sql.Bind(first))} INTERSECT {Links(1, sql.Bind(second))} ORDER BY 1) m " +
                   $"WHERE {count} = 0 OR {sql.HoldsAll("m.customer_id", rest, count)}";
        }
        if (TrigramDriven(search) is not { } driven)
        {
            return sql.CountStatement(accountId, search);
        }
        // Checking each match's account costs more than finding the matches. When the account holds every
        // customer of the database (one account per database is common), the trigram table holds only its
        // customers, and counting the matches there is the total.
        sql.BindAccount(accountId);
        var matches = sql.TrigramMatches(driven);
        return "SELECT CASE WHEN (SELECT customers FROM customer_counts WHERE account_id = @account_id) = (SELECT sum(customers) FROM customer_counts) " +
               $"THEN (SELECT count(*) FROM customers_fts f WHERE {matches}) " +
               $"ELSE (SELECT count(*) FROM customers c WHERE c.account_id = @account_id AND c.id IN (SELECT f.rowid FROM customers_fts f WHERE {matches})) END";
    }

    protected override string AccountSize => "SELECT coalesce((SELECT customers FROM customer_counts WHERE account_id = @account_id), 0)";

    /// <summary>Text sorts by its UTF-8 bytes (BINARY); SQLite puts nulls first unless told otherwise.</summary>
    private static string OrderBy(CustomerListQuery page) => OrderBy(page, (field, direction) =>
    {
        var column = "c." + CustomerTable.Of(field);
        return $"{column} IS NULL, {column} {direction}";
    });

    protected override string Folded(CustomerField field) =>
        IndexedCopy(field) is { } copy ? "c." + copy : $"{LowerFunction}(c.{CustomerTable.Of(field)})";

    protected override string Contains(CustomerField field, string folded, string needle) =>
        HasTrigrams(field, needle)
            ? $"c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH {TrigramMatch(field, needle)})"
            : $"instr({folded}, {Bind(needle)}) > 0";

    /// <summary>A <c>~</c> the trigram table answers reads its customers from there.</summary>
    protected override bool IsLinked(FilterClause clause) =>
        base.IsLinked(clause) || clause is FieldClause { Operator: FilterOperator.Contains, Value: string needle } field && HasTrigrams(field.Field, needle);

    protected override string? LinkedIds(FieldClause clause) =>
        IsLinked(clause) ? $"SELECT rowid FROM customers_fts WHERE customers_fts MATCH {TrigramMatch(clause.Field, (string)clause.Value!)}" : null;

    /// <summary>
    /// One compound select: SQLite intersects sets that come in id order (a tag's links, the trigram table's
    /// matches) by merging them, then fetches each customer of the intersection by id.
    /// </summary>
    protected override string InEvery(IReadOnlyList<string> sets) => $"c.id IN ({string.Join(" INTERSECT ", sets)})";

    protected override string NameIs(IReadOnlyList<string> names) => $"t.name IN (SELECT value FROM json_each({Bind(JsonSerializer.Serialize(names))}))";

    private static bool HasTrigrams(CustomerField field, string needle) =>
        field is CustomerField.Name or CustomerField.Email or CustomerField.Company && needle.EnumerateRunes().Count() >= 3;

    /// <summary>
    /// The <c>~</c> clauses of a search the trigram table answers whole: one clause, or clauses ANDed, each a <c>~</c>
    /// with trigrams or a tag clause, at least one a <c>~</c>; null otherwise. The <c>~</c> clauses become one
    /// query of the trigram table, which intersects their matches itself, in id order and lazily (two <c>~</c> of
    /// three characters each match tens of thousands of a million customers, together a few hundred); each tag
    /// clause is a test of the few links of each of those matches.
    /// </summary>
    private static (List<(CustomerField Field, string Needle)> Trigrams, List<IReadOnlyList<string>> Tags)? TrigramDriven(CustomerSearch search)
    {
        if (search.MatchAny && search.Filters.Count > 1)
        {
            return null;
        }
        var trigrams = new List<(CustomerField, string)>();
        var tags = new List<IReadOnlyList<string>>();
        foreach (var clause in search.Filters)
        {
            switch (clause)
            {
                case FieldClause { Operator: FilterOperator.Contains, Value: string needle } field when HasTrigrams(field.Field, needle):
                    trigrams.Add((field.Field, needle));
                    break;
                case TagsClause { Names.Count: > 0 } tagged:
                    tags.Add(tagged.Names);
                    break;
                default:
                    return null;
            }
        }
        return trigrams.Count > 0 ? (trigrams, tags) : null;
    }

    /// <summary>
    /// The condition on <c>customers_fts f</c> of <see cref="TrigramDriven"/>'s clauses: one <c>MATCH</c> of every
    /// phrase, and per tag clause the number of the customer's links to its names (a customer has a tag once).
    /// </summary>
    private string TrigramMatches((List<(CustomerField Field, string Needle)> Trigrams, List<IReadOnlyList<string>> Tags) driven)
    {
        var phrases = string.Join(" AND ", driven.Trigrams.Select(t => Phrase(t.Field, t.Needle)));
        var tests = driven.Tags.Select(names =>
        {
            var distinct = names.Distinct(StringComparer.Ordinal).ToList();
            return " AND " + HoldsAll("f.rowid", distinct, Bind((long)distinct.Count));
        });
        return $"customers_fts MATCH {Bind(phrases)}{string.Concat(tests)}";
    }

    /// <summary>The ids of the customers linked to the tag named <paramref name="name"/>, in id order (its index).</summary>
    private static string Links(int n, string name) =>
        $"SELECT ct{n}.customer_id FROM tags t{n} CROSS JOIN customer_tags ct{n} WHERE t{n}.account_id = @account_id AND t{n}.name = {name} AND ct{n}.tag_id = t{n}.id";

    /// <summary>A trigram phrase query is a substring test; the phrase is quoted, its quotes doubled.</summary>
    private string TrigramMatch(CustomerField field, string needle) => Bind(Phrase(field, needle));

    private static string Phrase(CustomerField field, string needle) =>
        $"{IndexedCopy(field)} : \"{needle.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>A property compares only with stored values of the same JSON type; a missing property is null.</summary>
    protected override string CustomData(CustomDataClause clause)
    {
        var has = $"SELECT 1 FROM json_each(c.custom_data) j WHERE j.key = {Bind(clause.Property)}";
        if (clause.Value is null)
        {
            return clause.Operator == FilterOperator.Equal ? $"NOT EXISTS ({has})" : $"EXISTS ({has})";
        }
        var test = clause.Value switch
        {
            bool flag => $"j.type = '{(flag ? "true" : "false")}'",
            double number => $"j.type IN ('integer', 'real') AND j.value {NumberComparison(clause.Operator)} {Bind(number)}",
            _ => clause.Operator is FilterOperator.Contains or FilterOperator.NotContains
                ? $"j.type = 'text' AND instr({LowerFunction}(j.value), {Bind(clause.Value)}) > 0"
                : $"j.type = 'text' AND {LowerFunction}(j.value) = {Bind(clause.Value)}",
        };
        return IsNegative(clause.Operator) ? $"NOT EXISTS ({has} AND {test})" : $"EXISTS ({has} AND {test})";
    }

    protected override object Flag(bool value) => value ? 1L : 0L;

    /// <summary>
    /// Date and id ranges are usually narrow ("seen in the last hour"). Said so, SQLite's planner reads them from
    /// their index and sorts the few matches, instead of walking every customer of the account in id order
    /// for the sake of <c>ORDER BY id LIMIT</c>, which is what its statistics otherwise make it choose.
    /// </summary>
    protected override string Range(string condition) => $"likelihood({condition}, 0.05)";

    private static string? IndexedCopy(CustomerField field) => field switch
    {
        CustomerField.Name => "name_ci",
        CustomerField.Email => "email_ci",
        CustomerField.Company => "company_ci",
        CustomerField.UserId => "user_id_ci",
        CustomerField.Phone => "phone_ci",
        _ => null,
    };
}
