using System.Numerics;

namespace Cryptopocket.Server.Features.Rampoffs.Deposits;

/// <summary>
/// A transfer into a watched deposit address seen on chain. (<see cref="TxHash"/>, <see cref="LogIndex"/>) identifies it
/// uniquely: a token transfer by its log, a native-coin transfer (which has no log) by its transaction, with LogIndex -1.
/// Addresses are EIP-55; <see cref="TokenContract"/> is null for the native coin; <see cref="Amount"/> is in base units.
/// </summary>
public sealed record ObservedDeposit(string TxHash, int LogIndex, long BlockNumber, string From, string To, string? TokenContract, BigInteger Amount);
