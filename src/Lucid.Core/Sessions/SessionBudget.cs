using System.Globalization;
using System.Text.Json.Serialization;

namespace Lucid.Sessions;

/// <summary>
/// A session's enforced spend ceiling, as the API shapes it: <c>{"type": "limit", "max_list_cost": {"amount": "500",
/// "currency": "USD"}}</c>. The session makes no new model request once its list cost reaches the ceiling.
/// </summary>
public sealed record SessionBudget
{
    /// <summary>The kind of budget; <c>limit</c> is the only one.</summary>
    public string Type { get; init; } = "limit";

    /// <summary>The list cost at which the session stops.</summary>
    public required MonetaryAmount MaxListCost { get; init; }

    /// <summary>Whether a session that has cost <paramref name="listCostUsd"/> has reached this budget.</summary>
    public bool IsReachedBy(decimal? listCostUsd) => (listCostUsd ?? 0) >= MaxListCost.UsdValue;
}

/// <summary>
/// An amount of money as the API writes it: whole minor units of the currency as a decimal string (<c>"250"</c> is
/// $2.50), and the currency, which is always <c>USD</c>.
/// </summary>
public sealed record MonetaryAmount
{
    /// <summary>The only currency prices are kept in.</summary>
    public const string Usd = "USD";

    /// <summary>The amount in cents, as an integer decimal string without leading zeros.</summary>
    public required string Amount { get; init; }

    /// <summary>The currency.</summary>
    public string Currency { get; init; } = Usd;

    /// <summary>The amount in US dollars.</summary>
    [JsonIgnore]
    public decimal UsdValue => long.Parse(Amount, NumberStyles.None, CultureInfo.InvariantCulture) / 100m;

    /// <summary>
    /// A cost in US dollars as the API shows it: rounded up to the next cent, so a shown cost is never below what
    /// was spent (a budget compares the exact cost).
    /// </summary>
    public static MonetaryAmount FromUsd(decimal usd) => Cents((long)Math.Ceiling(Math.Max(0, usd) * 100));

    /// <summary>An amount of whole cents.</summary>
    public static MonetaryAmount Cents(long cents) => new() { Amount = cents.ToString(CultureInfo.InvariantCulture) };
}
