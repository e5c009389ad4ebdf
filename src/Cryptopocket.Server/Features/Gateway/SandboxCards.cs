using System.Globalization;

namespace Cryptopocket.Server.Features.Gateway;

public enum CardOutcome
{
    Approve,
    Decline,
    Challenge,
    Unknown,
}

/// <summary>
/// The sandbox card processor: documented test numbers decide the outcome (README, "Sandbox payments"). Any other
/// well-formed number is refused on the form without touching the purchase, so a tester's typo is not a decline.
/// </summary>
public static class SandboxCards
{
    public const string ApproveNumber = "4242424242424242";
    public const string DeclineNumber = "4000000000000002";
    public const string ChallengeNumber = "4000000000003220";
    public const string ChallengeCode = "123456";

    public static CardOutcome Outcome(string digits) => digits switch
    {
        ApproveNumber => CardOutcome.Approve,
        DeclineNumber => CardOutcome.Decline,
        ChallengeNumber => CardOutcome.Challenge,
        _ => CardOutcome.Unknown,
    };

    public static string Digits(string? input) => new((input ?? "").Where(char.IsAsciiDigit).ToArray());

    /// <summary>The Luhn mod-10 check every card number carries.</summary>
    public static bool PassesLuhn(string digits)
    {
        if (digits.Length is < 12 or > 19)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>MM/YY, not in the past (a card is valid through the last day of its expiry month).</summary>
    public static bool IsValidExpiry(string? input, DateTime now)
    {
        var text = (input ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (!DateTime.TryParseExact(text, ["MM/yy", "MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return false;
        }
        var endOfMonth = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        return endOfMonth > now && endOfMonth < now.AddYears(25);
    }
}
