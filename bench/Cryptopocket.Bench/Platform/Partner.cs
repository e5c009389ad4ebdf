namespace Cryptopocket.Bench.Platform;

/// <summary>An integration as the benchmark uses it: its credentials and a live <c>auth</c> token.</summary>
public sealed record Partner(int Index, string Name, string ApiKey, string ApiSecret, string Token);

/// <summary>A KYC-approved customer of one partner.</summary>
public sealed record Customer(long Id, Partner Partner);

/// <summary>Everything seeded before the loads.</summary>
public sealed record Seed(IReadOnlyList<Partner> Partners, IReadOnlyList<Customer> Buyers, Customer LimitProbeCustomer, Customer SettlementCustomer);
