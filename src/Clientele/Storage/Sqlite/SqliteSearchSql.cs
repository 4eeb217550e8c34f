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

    public static string Where(SqliteCommand command, long accountId, CustomerSearch search) =>
        new SqliteSearchSql(command).Condition(accountId, search);

    public static string Count(SqliteCommand command, long accountId, CustomerSearch search) =>
        new SqliteSearchSql(command).CountStatement(accountId, search);

    protected override string AccountSize => "SELECT coalesce((SELECT customers FROM customer_counts WHERE account_id = @account_id), 0)";

    /// <summary>Text sorts by its UTF-8 bytes (BINARY); SQLite puts nulls first unless told otherwise.</summary>
    public static string OrderBy(CustomerListQuery page) => OrderBy(page, (field, direction) =>
    {
        var column = "c." + CustomerTable.Of(field);
        return $"{column} IS NULL, {column} {direction}";
    });

    protected override string Folded(CustomerField field) =>
        IndexedCopy(field) is { } copy ? "c." + copy : $"{LowerFunction}(c.{CustomerTable.Of(field)})";

    protected override string Contains(CustomerField field, string folded, string needle)
    {
        if (field is CustomerField.Name or CustomerField.Email or CustomerField.Company && needle.EnumerateRunes().Count() >= 3)
        {
            // A trigram phrase query is a substring test; the phrase is quoted, its quotes doubled.
            var match = Bind($"{IndexedCopy(field)} : \"{needle.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            return $"c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH {match})";
        }
        return $"instr({folded}, {Bind(needle)}) > 0";
    }

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
