namespace Cryptopocket.Server.Features.Payments;

/// <summary>Section "Payments": how long purchases wait, the limits, and the bank account transfers go to.</summary>
public sealed class PaymentOptions
{
    /// <summary>How long a card or PSD2 purchase holds its locked quote before it expires unpaid.</summary>
    public TimeSpan CardValidity { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a transfer purchase waits for the customer to send the money.</summary>
    public TimeSpan TransferValidity { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Purchases above this amount need enhanced verification (<c>kyc_reinforced_required</c>).</summary>
    public decimal ReinforcedKycThreshold { get; set; } = 1000m;

    /// <summary>Card purchases per customer per calendar quarter (<c>limit_exceded</c>).</summary>
    public decimal QuarterlyCardLimit { get; set; } = 5000m;

    public string BankIban { get; set; } = "ES6867130002530016234794";
    public string BankBic { get; set; } = "PFSSESM1XXX";
    public string BankDestinationName { get; set; } = "Cryptopocket Sandbox, S.L.";

    /// <summary>Banks offered on the sandbox PSD2 page.</summary>
    public List<string> SandboxBanks { get; set; } = ["Banco Sandbox", "Caja Demo", "Neobank Test"];

    public TimeSpan ValidityFor(string paymentType) =>
        paymentType == Contracts.PaymentTypes.Transfer ? TransferValidity : CardValidity;
}
