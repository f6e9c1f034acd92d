// The deposit area's screens, loaded as one chunk when one of them is first opened.
export { Deposit } from "./Deposit";
export { Directory } from "./Directory";
export { Flux } from "./Flux";
export { InvoiceForm } from "./InvoiceForm";
export { ToValidate } from "./ToValidate";
