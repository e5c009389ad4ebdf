namespace Cryptopocket.Client;

/// <summary>A sale created by <see cref="CryptopocketClient.CreateRampoffAsync"/> (<c>POST api/createRampoff</c>).</summary>
/// <param name="Id">The sale's id, for <see cref="CryptopocketClient.GetRampoffAsync"/>.</param>
/// <param name="DepositAddress">
/// The address, on the sale's chain, to send the coin to (the wire's <c>wallet</c>); it belongs to this sale only.
/// </param>
public sealed record RampoffCreatedResult(string Id, string DepositAddress);
