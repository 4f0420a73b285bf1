/// Every purchase model crmq fits, in the order `fit`, `help` and completion list them. A new
/// model is a file that conforms to `PurchaseModel` and a line here: `fit`, `validate`,
/// `set model`, `clv for X model …` and every model field take it from this list.
enum ModelCatalog {
    static let purchaseModels: [any PurchaseModel.Type] = [
        BGNBD.self,
        ParetoNBD.self,
        MBGNBD.self,
        BGBB.self,
    ]
}
