// The values of the typed-in invoice form (InvoiceForm), as the clerk types them: strings, sent as the API's
// InvoiceInput once checked.
import type { InvoiceFrame } from "../../gql/graphql";
import type { Addressing } from "./RecipientPicker";

export interface LineValues {
  itemName: string;
  quantity: string;
  netPrice: string;
  vatRate: string;
  vatCategory: string;
  vatExemptionReason: string;
}

export interface PrecedingValues {
  number: string;
  issueDate: string;
}

export interface FormValues {
  number: string;
  issueDate: string;
  dueDate: string;
  typeCode: "380" | "381";
  frame: InvoiceFrame;
  validatorIdentifier: string;
  addressing: Addressing;
  paymentTerms: string;
  note: string;
  iban: string;
  buyerVatIdentifier: string;
  deliveryDate: string;
  precedingInvoices: PrecedingValues[];
  lines: LineValues[];
}

export const emptyLine = (): LineValues => ({
  itemName: "",
  quantity: "1",
  netPrice: "",
  vatRate: "20",
  vatCategory: "S",
  vatExemptionReason: "",
});
export const emptyPreceding = (): PrecedingValues => ({ number: "", issueDate: "" });

