import type { InvoiceStatus } from "../../gql/graphql";

/** Every status, in the order of an invoice's life (the status filter offers them so). */
export const STATUSES: InvoiceStatus[] = [
  "DEPOSEE",
  "A_VALIDER_1",
  "VALIDEE_1",
  "REFUSEE_1",
  "ABSENCE_VALIDATION_1_HORS_DELAI",
  "MISE_A_DISPOSITION",
  "PRISE_EN_COMPTE_DESTINATAIRE",
  "SERVICE_FAIT",
  "SUSPENDUE",
  "COMPLETEE",
  "MANDATEE",
  "MISE_A_DISPOSITION_COMPTABLE",
  "COMPTABILISEE",
  "MISE_EN_PAIEMENT",
  "A_RECYCLER",
  "REJETEE",
];
