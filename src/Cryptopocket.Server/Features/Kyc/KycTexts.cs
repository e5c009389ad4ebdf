namespace Cryptopocket.Server.Features.Kyc;

/// <summary>The hosted KYC page's words in Spanish and English.</summary>
public sealed record KycTexts(
    string Lang, string Title, string Intro, string YourData, string NameLabel, string DocumentLabel, string DobLabel,
    string CountryLabel, string FrontLabel, string BackLabel, string SelfieLabel, string FileHint, string Confirm, string Submit,
    string ProcessingTitle, string ProcessingBody, string ValidTitle, string ValidBody, string FailTitle, string FailBody,
    string Continue, string Required, string TooLarge, string BadType, string MustConfirm, string Expired,
    string OtherLanguageCode)
{
    public static KycTexts For(string? lang) => lang == "es" ? Spanish : English;

    public static string Pick(string? query, string? acceptLanguage) =>
        query is "es" or "en" ? query
        : acceptLanguage is not null && acceptLanguage.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es"
        : "en";

    public static readonly KycTexts English = new(
        "en", "Identity verification", "To buy and sell crypto we must verify your identity. It takes two minutes.",
        "Your details", "Name", "Document", "Date of birth", "Country",
        "Document, front", "Document, back", "Selfie holding your document", "JPEG, PNG or PDF, up to 5 MB. Selfie: JPEG or PNG.",
        "I confirm these details are mine and correct.", "Send for verification",
        "We are checking your documents", "This page updates by itself. You can close it; we will let your provider know.",
        "Identity verified", "You can continue with your purchase.",
        "We could not verify your identity", "Contact your provider's support team for help.",
        "Continue", "This file is required.", "The file is larger than 5 MB.", "The file must be a JPEG, PNG or PDF image.",
        "Please confirm your details.", "This verification link is no longer valid.", "es");

    public static readonly KycTexts Spanish = new(
        "es", "Verificación de identidad", "Para comprar y vender cripto necesitamos verificar tu identidad. Son dos minutos.",
        "Tus datos", "Nombre", "Documento", "Fecha de nacimiento", "País",
        "Documento, anverso", "Documento, reverso", "Selfie sujetando tu documento", "JPEG, PNG o PDF, hasta 5 MB. Selfie: JPEG o PNG.",
        "Confirmo que estos datos son míos y correctos.", "Enviar a verificación",
        "Estamos revisando tus documentos", "Esta página se actualiza sola. Puedes cerrarla; avisaremos a tu proveedor.",
        "Identidad verificada", "Ya puedes continuar con tu compra.",
        "No hemos podido verificar tu identidad", "Contacta con el soporte de tu proveedor.",
        "Continuar", "Este archivo es obligatorio.", "El archivo supera 5 MB.", "El archivo debe ser una imagen JPEG, PNG o un PDF.",
        "Confirma tus datos, por favor.", "Este enlace de verificación ya no es válido.", "en");
}
