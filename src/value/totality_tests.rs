//! Every value operation is total: NaN, ±∞, −0, subnormals, empty vectors and
//! the extreme timestamps give a value or a typed error, never a panic; and the
//! same inputs give the same output bytes twice in one process. (Moved from the
//! integration tests, which also run every builtin this way.)

use std::borrow::Cow;

use proptest::prelude::*;

use crate::syntax::{BinaryOp, UnaryOp};
use crate::value::{binary, format_double, unary, Val};
use crate::{TimeInterval, Timestamp};

fn special() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::EPSILON),
        any::<f64>(),
    ]
}

fn val() -> impl Strategy<Value = Val<'static>> {
    prop_oneof![
        special().prop_map(Val::Num),
        prop::collection::vec(special(), 0..4).prop_map(|v| Val::Vec(Cow::Owned(v))),
        Just(Val::Str("")),
        Just(Val::Str("b")),
        any::<i64>().prop_map(|t| Val::Interval(TimeInterval::from_ticks(t))),
        (Timestamp::UNIX_EPOCH.ticks()..Timestamp::MAX_TICKS)
            .prop_map(|t| Val::Time(Timestamp::from_ticks(t).unwrap())),
        Just(Val::Time(
            Timestamp::from_ticks(Timestamp::MIN_TICKS).unwrap()
        )),
        Just(Val::Time(
            Timestamp::from_ticks(Timestamp::MAX_TICKS).unwrap()
        )),
    ]
}

const OPS: [BinaryOp; 12] = [
    BinaryOp::Or,
    BinaryOp::And,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn binary_and_unary_operations_are_total(a in val(), b in val()) {
        for op in OPS {
            // Compared as text: NaN is not equal to itself.
            let first = format!("{:?}", binary(op, &a, &b));
            prop_assert_eq!(first, format!("{:?}", binary(op, &a, &b)));
        }
        for op in [UnaryOp::Neg, UnaryOp::Not] {
            let _ = unary(op, &a);
        }
    }

    #[test]
    fn formatting_is_total_and_stable(x in special()) {
        let mut a = String::new();
        let mut b = String::new();
        format_double(x, &mut a);
        format_double(x, &mut b);
        prop_assert_eq!(&a, &b);
        prop_assert!(!a.is_empty());
    }
}
