using System.Xml;
using System.Xml.Schema;
using Cryptopocket.Server.Features.Payouts.Pain001;

namespace Cryptopocket.Server.Tests.Payouts;

/// <summary>
/// Validates a document against Schemas/pain.001.001.09.xsd: a hand-written subset of the ISO 20022 message definition
/// covering every element the writer emits (see Schemas/README.md for why it is not the official file).
/// </summary>
public static class Pain001Schema
{
    private static readonly Lazy<XmlSchemaSet> Schema = new(() =>
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(Pain001Writer.Namespace, Path.Combine(AppContext.BaseDirectory, "Payouts", "Schemas", "pain.001.001.09.xsd"));
        schemas.Compile();
        return schemas;
    });

    public static List<string> Errors(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schema.Value, DtdProcessing = DtdProcessing.Prohibit };
        // An element the schema set does not know (e.g. another namespace) is only a warning; without this flag a
        // document in the wrong namespace would pass having been checked against nothing.
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }
        return errors;
    }
}
